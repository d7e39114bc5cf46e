package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// shedViolations runs overloaded, lossy seeds with shedding (and the
// given settings on top) and counts those whose history is not
// linearizable.
func shedViolations(t *testing.T, seeds int, extra string) int {
	bad := 0
	for seed := 1; seed <= seeds; seed++ {
		c := sim.DefaultConfig("paxos", uint64(seed))
		require.NoError(t, c.ApplyFaults("none,dup=0.5,reorder=0.5,reorder-max=50ms,keys=3,mix=40/60/0,ops=40,service=200us,load=400,shed=on,queue-limit=4"+extra))
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
// it; with both, no seed fails. Forgetting a shed request shows where a
// shed answer is final at once (no retry, no hedge: a late duplicate of
// the request then runs after its operation was recorded as failed); with
// unbudgeted retries a shed answer never ends an operation, so there is
// nothing for the late copy to contradict. Recording any shed
// answer as failure shows with a small retry budget (a shed answer ends
// the operation while an earlier copy ran elsewhere). It once showed
// without one, but only because the operation's token had been evicted
// from its client's window (eight newer operations of the same open-loop
// client), so that its retries were answered Unknown until a shed answer
// ended it; with windows kept per session (protocol.Session) a retry finds
// the applied write and succeeds.
func TestShedSafetyMechanisms(t *testing.T) {
	const seeds = 40
	scenario := map[string]string{"forget": ",retry=off,hedge=off", "any": ",retry-budget=0.1"}
	for _, extra := range scenario {
		require.Zero(t, shedViolations(t, seeds, extra))
	}
	for _, mode := range []string{"forget", "any"} {
		sim.SetUnsafeShed(mode)
		bad := shedViolations(t, seeds, scenario[mode])
		sim.SetUnsafeShed("")
		t.Logf("unsafe shed %q: %d of %d seeds not linearizable", mode, bad, seeds)
		require.Positive(t, bad, "removing %q goes unnoticed", mode)
	}
}
