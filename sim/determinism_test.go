package sim_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	_ "github.com/casimlab/casim/protocol/all"
	"github.com/casimlab/casim/sim"
)

// The same seed must give the same run, event for event, whatever the
// scheduler does: here twice in a row and under GOMAXPROCS 1 and 2.
func TestSameSeedSameTraceHash(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, proto := range []string{"paxos", "paxos/accept-any-ballot"} {
		for seed := uint64(1); seed <= 5; seed++ {
			var hashes []uint64
			var traces [][]byte
			for _, procs := range []int{1, 2, 2} {
				runtime.GOMAXPROCS(procs)
				var buf bytes.Buffer
				res, err := sim.Run(sim.DefaultConfig(proto, seed), sim.Options{Trace: &buf})
				require.NoError(t, err)
				hashes = append(hashes, res.TraceHash)
				traces = append(traces, buf.Bytes())
			}
			require.Equal(t, hashes[0], hashes[1], "%s seed %d: GOMAXPROCS 1 vs 2", proto, seed)
			require.Equal(t, hashes[1], hashes[2], "%s seed %d: two runs", proto, seed)
			require.Equal(t, traces[0], traces[2], "%s seed %d: trace text", proto, seed)
		}
	}
}

// Different seeds must give different runs, or the hash pins nothing.
func TestDifferentSeedsDifferentTraceHash(t *testing.T) {
	seen := map[uint64]uint64{}
	for seed := uint64(1); seed <= 20; seed++ {
		res, err := sim.Run(sim.DefaultConfig("paxos", seed), sim.Options{})
		require.NoError(t, err)
		if prev, dup := seen[res.TraceHash]; dup {
			t.Fatalf("seeds %d and %d share trace hash %x", prev, seed, res.TraceHash)
		}
		seen[res.TraceHash] = seed
	}
}

// Tracing must not change the run.
func TestTracingDoesNotChangeTheRun(t *testing.T) {
	a, err := sim.Run(sim.DefaultConfig("paxos", 7), sim.Options{})
	require.NoError(t, err)
	var buf bytes.Buffer
	b, err := sim.Run(sim.DefaultConfig("paxos", 7), sim.Options{Trace: &buf})
	require.NoError(t, err)
	require.Equal(t, a.TraceHash, b.TraceHash)
	require.Equal(t, a.History, b.History)
	require.NotZero(t, buf.Len())
}
