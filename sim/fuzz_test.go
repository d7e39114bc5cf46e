package sim_test

import (
	"bytes"
	"testing"

	"github.com/casimlab/casim/sim"
)

// FuzzScenario feeds arbitrary scenario files to the reader and, when they
// are accepted and small, to the simulator: a bad file must be an error,
// never a panic.
func FuzzScenario(f *testing.F) {
	var buf bytes.Buffer
	c := sim.DefaultConfig("paxos", 1)
	c.OpsPerClient = 3
	if err := sim.NewScenario(c).WriteJSON(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"casim_scenario":1,"protocol":"lww","seed":3,"ops_per_client":2,"schedule":[{"kind":"crash","start_ns":0,"end_ns":5,"nodes":[0]}]}`))
	f.Add([]byte(`{"casim_scenario":1,"protocol":"caspaxos","ops":[[0],[],[1],[]],"ops_per_client":2}`))
	f.Add([]byte(`{"casim_scenario":1,"protocol":"paxos","ops_per_client":5,"capacity":{"service_ns":100000,"workers":1,"shed":true,"queue_limit":2,"load_per_sec":500,"surge_factor":3,"surge_for_ns":1000000,"hot_ratio":0.5,"limit":"aimd","degrade":"one"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := sim.ReadScenario(bytes.NewReader(data))
		if err != nil {
			return
		}
		if sc.Clients*sc.OpsPerClient > 40 || sc.Replicas > 7 || sc.Keys > 100 || sc.Client.Concurrency > 4 {
			return
		}
		sc.Limits.MaxEvents = min(sc.Limits.MaxEvents, 200_000)
		_, _ = sim.RunScenario(sc, sim.Options{})
	})
}
