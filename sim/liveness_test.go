package sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// Liveness is checked across ranges, not at one point (issue 11): every
// correct protocol completes every operation invoked after the faults
// heal, at one-way latencies from 100µs to 300ms, with sixteen clients
// on one key, and with clocks a second apart. Seed counts are modest so
// the suite stays fast; casim sweep runs the full ranges (see .ci/run).
func TestLivenessAcrossLatencyContentionAndSkew(t *testing.T) {
	type row struct {
		protos []string
		spec   string
		seeds  uint64
	}
	all := []string{"paxos", "paxos2", "caspaxos", "abd", "lww"}
	consensus := []string{"paxos", "paxos2", "caspaxos"}
	var rows []row
	for _, d := range []string{"100us", "2ms", "20ms", "100ms", "300ms"} {
		rows = append(rows, row{all, "none,latency=constant,latency-min=" + d, 4})
	}
	rows = append(rows,
		row{consensus, "clients=16,keys=1", 3},
		row{consensus, "none,clients=16,keys=1,latency=constant,latency-min=20ms", 2},
		row{consensus, "none,clients=16,keys=1,latency=constant,latency-min=100ms", 2},
		row{consensus, "none,skew=1s,keys=1", 8},
		row{consensus, "none,skew=1s,keys=1,latency=constant,latency-min=20ms", 3},
		// The first command: before, paxos seed 19 left a read
		// unanswered (a finished write's hold kept it waiting).
		row{consensus, "none,latency=uniform,latency-min=20ms,latency-max=80ms,deadline=5s,attempt-timeout=1s", 20},
	)
	for _, r := range rows {
		for _, p := range r.protos {
			t.Run(fmt.Sprintf("%s/%s", p, r.spec), func(t *testing.T) {
				t.Parallel()
				for seed := uint64(1); seed <= r.seeds; seed++ {
					cfg, err := sim.ProtocolDefault(p, seed)
					require.NoError(t, err)
					require.NoError(t, cfg.ApplyFaults(r.spec))
					res, err := sim.Run(cfg, sim.Options{})
					require.NoError(t, err)
					require.Empty(t, res.Stuck, "replay: casim run --protocol %s --seed %d --faults %s", p, seed, r.spec)
					require.Empty(t, res.Unavailable, "replay: casim run --protocol %s --seed %d --faults %s", p, seed, r.spec)
					v, err := checker.CheckWith(context.Background(), res.History, checker.Options{NoWitness: true})
					require.NoError(t, err)
					require.Equal(t, checker.Linearizable, v.Verdict)
				}
			})
		}
	}
}

// The client's defaults follow the network: on the lan they are the
// values casim always had, and on a 20× slower network 20× longer.
func TestClientDefaultsDeriveFromTheRoundTrip(t *testing.T) {
	lan := sim.DefaultConfig("paxos", 1)
	lan.Derive()
	require.Equal(t, int64(60e6), lan.Client.AttemptTimeoutNs)
	require.Equal(t, int64(400e6), lan.Client.DeadlineNs)
	slow := sim.DefaultConfig("paxos", 1)
	require.NoError(t, slow.ApplyFaults("latency=constant,latency-min=20ms"))
	slow.Derive()
	require.Equal(t, int64(40e6), slow.RoundTripNs())
	require.Equal(t, 20*lan.Client.DeadlineNs, slow.Client.DeadlineNs)
	require.Equal(t, 20*lan.Client.ResolveTimeoutNs, slow.Client.ResolveTimeoutNs)
	require.Equal(t, 20*lan.Limits.LivenessNs, slow.Limits.LivenessNs)
	// A setting given by hand stays.
	set := sim.DefaultConfig("paxos", 1)
	require.NoError(t, set.ApplyFaults("latency=constant,latency-min=20ms,deadline=5s"))
	set.Derive()
	require.Equal(t, int64(5e9), set.Client.DeadlineNs)
}
