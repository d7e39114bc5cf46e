package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// shedViolations runs overloaded, lossy seeds with shedding and counts
// those whose history is not linearizable.
func shedViolations(t *testing.T, seeds int) int {
	bad := 0
	for seed := 1; seed <= seeds; seed++ {
		c := sim.DefaultConfig("paxos", uint64(seed))
		require.NoError(t, c.ApplyFaults("none,dup=0.5,reorder=0.5,reorder-max=50ms,keys=3,mix=40/60/0,ops=40,service=200us,load=400,shed=on,queue-limit=4"))
		res, err := sim.Run(c, sim.Options{})
		require.NoError(t, err)
		chk, err := checker.Check(context.Background(), res.History, 0)
		require.NoError(t, err)
		if chk.Verdict == checker.Illegal {
			bad++
		}
	}
	return bad
}

// Each mechanism that makes "overloaded" a final failure is needed: without
// it, operations recorded as failed take effect and the checker catches
// it; with both, no seed fails.
func TestShedSafetyMechanisms(t *testing.T) {
	const seeds = 30
	require.Zero(t, shedViolations(t, seeds))
	for _, mode := range []string{"forget", "any"} {
		sim.SetUnsafeShed(mode)
		bad := shedViolations(t, seeds)
		sim.SetUnsafeShed("")
		t.Logf("unsafe shed %q: %d of %d seeds not linearizable", mode, bad, seeds)
		require.Positive(t, bad, "removing %q goes unnoticed", mode)
	}
}
