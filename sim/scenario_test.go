package sim_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

// A scenario written and read back is the same scenario and runs to the
// same trace hash.
func TestScenarioJSONRoundTrip(t *testing.T) {
	c := sim.DefaultConfig("paxos", 9)
	require.NoError(t, c.ApplyFaults("skew=2ms,clock-steps=2,clock-step=3ms,partitions=3"))
	sc := sim.NewScenario(c)
	var buf bytes.Buffer
	require.NoError(t, sc.WriteJSON(&buf))
	back, err := sim.ReadScenario(&buf)
	require.NoError(t, err)
	// The scenario read back is the one written, field by field; a
	// failure names the fields that changed.
	if d := cmp.Diff(sc, back, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("scenario changed in a JSON round trip (-written +read):\n%s", d)
	}
	a, err := sim.RunScenario(sc, sim.Options{})
	require.NoError(t, err)
	b, err := sim.RunScenario(back, sim.Options{})
	require.NoError(t, err)
	require.Equal(t, a.TraceHash, b.TraceHash)
}

// A hand-written scenario says only what differs from the protocol's
// default; a missing schedule is drawn from the seed, an empty one means
// no faults.
func TestHandWrittenScenarioTakesDefaults(t *testing.T) {
	sc, err := sim.ReadScenario(strings.NewReader(`{"casim_scenario": 1, "protocol": "paxos", "seed": 4, "keys": 1}`))
	require.NoError(t, err)
	want := sim.DefaultConfig("paxos", 4)
	require.Equal(t, 1, sc.Keys)
	require.Equal(t, want.Clients, sc.Clients)
	require.Equal(t, want.Network, sc.Network)
	require.Equal(t, sim.NewScenario(want).Schedule, sc.Schedule)

	sc, err = sim.ReadScenario(strings.NewReader(`{"casim_scenario": 1, "protocol": "paxos", "schedule": []}`))
	require.NoError(t, err)
	require.Empty(t, sc.Schedule)

	for _, bad := range []string{
		`{"casim_scenario": 1, "protocol": "nope"}`,
		`{"casim_scenario": 1, "protocol": "paxos", "replicas": 0}`,
		`{"casim_scenario": 1, "protocol": "paxos", "replica": 3}`,
		`[1, 2]`,
		`{"casim_scenario": 2, "protocol": "paxos"}`,
	} {
		_, err := sim.ReadScenario(strings.NewReader(bad))
		require.Error(t, err, bad)
		require.NotContains(t, err.Error(), "\n", "errors are one line")
	}
}

// An invalid configuration is an error from every entry point, never a
// panic.
func TestInvalidConfigIsAnErrorNotAPanic(t *testing.T) {
	c := sim.DefaultConfig("paxos", 1)
	c.Replicas, c.Clients = 0, 0
	_, err := sim.Run(c, sim.Options{})
	require.Error(t, err)
	_, err = sim.RunScenario(sim.NewScenario(c), sim.Options{})
	require.Error(t, err)
}

// The compact form leaves out the defaults and reads back to the same run.
func TestCompactScenarioReadsBackToTheSameRun(t *testing.T) {
	c := sim.DefaultConfig("paxos", 1<<63+7)
	c.Keys, c.Clients, c.Network.DropRatio = 1, 3, 0.1
	sc := sim.NewScenario(c)
	sc.Ops = [][]int{{0, 3}, {}, {1}}
	b, err := sc.CompactJSON()
	require.NoError(t, err)
	require.NotContains(t, string(b), "dup_ratio", "defaults left out")
	require.Contains(t, string(b), `"network":{"drop_ratio":0.1}`)
	back, err := sim.ReadScenario(bytes.NewReader(b))
	require.NoError(t, err)
	require.Equal(t, sc, back)
	r1, err := sim.RunScenario(sc, sim.Options{})
	require.NoError(t, err)
	r2, err := sim.RunScenario(back, sim.Options{})
	require.NoError(t, err)
	require.Equal(t, r1.TraceHash, r2.TraceHash)
}
