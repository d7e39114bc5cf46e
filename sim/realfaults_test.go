package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/sim"
)

// pausedActivity runs cfg with replica 0 paused over [fromNs, toNs) and
// counts what replica 0 did meanwhile: messages it sent (a completed sync
// releases its handler's messages) and messages it handled, its own
// included.
func pausedActivity(t *testing.T, cfg sim.Config, fromNs, toNs int64) (sends, delivers int) {
	t.Helper()
	sc := sim.Scenario{Config: cfg, Schedule: []sim.Fault{{Kind: sim.Pause, Nodes: []int{0}, StartNs: fromNs, EndNs: toNs}}}
	_, err := sim.RunScenario(sc, sim.Options{Observe: func(e sim.TraceEvent) {
		if e.AtNs <= fromNs || e.AtNs >= toNs {
			return
		}
		switch {
		case e.Kind == "send" && e.From == 0:
			sends++
		case e.Kind == "deliver" && e.To == 0:
			delivers++
		}
	}})
	require.NoError(t, err)
	return sends, delivers
}

// A paused node's syncs do not complete, so nothing it wrote before the
// pause lets its messages out during it; nor is any message handled,
// its messages to itself included. Slow syncs (up to 20ms) make a sync
// pending at the pause's start all but certain over 20 seeds.
func TestPausedNodeIsSilent(t *testing.T) {
	for _, sync := range []string{"sync=20ms", "storage=periodic,sync-period=3ms"} {
		for seed := uint64(1); seed <= 20; seed++ {
			c := sim.DefaultConfig("paxos", seed)
			require.NoError(t, c.ApplyFaults("none,"+sync))
			sends, delivers := pausedActivity(t, c, 30_000_000, 80_000_000)
			require.Zero(t, sends, "%s seed %d: a paused replica sent", sync, seed)
			require.Zero(t, delivers, "%s seed %d: a paused replica handled a message", sync, seed)
		}
	}
}

// A client that crashes leaves its operations in flight indeterminate,
// sends nothing while it is down (no retry, no resolving read), and after
// its restart runs the rest of its operations as new processes.
func TestClientCrash(t *testing.T) {
	crashed := 0
	for seed := uint64(1); seed <= 30; seed++ {
		c := sim.DefaultConfig("paxos", seed)
		require.NoError(t, c.ApplyFaults("none,clients=2"))
		const fromNs, toNs = 40_000_000, 140_000_000
		sc := sim.Scenario{Config: c, Schedule: []sim.Fault{{Kind: sim.ClientCrash, Clients: []int{0}, StartNs: fromNs, EndNs: toNs}}}
		ep := c.Replicas // client 0's endpoint
		var sendsWhileDown int
		res, err := sim.RunScenario(sc, sim.Options{Observe: func(e sim.TraceEvent) {
			if e.AtNs > fromNs && e.AtNs < toNs && e.Kind == "send" && e.From == ep {
				sendsWhileDown++
			}
		}})
		require.NoError(t, err)
		require.Zero(t, sendsWhileDown, "seed %d: a crashed client sent", seed)
		require.Equal(t, c.Clients*c.OpsPerClient, res.Stats.Ops(), "seed %d: the restarted client runs the rest", seed)
		for _, e := range res.History {
			if e.Type == history.Info && e.TimeNs == fromNs {
				crashed++
			}
		}
	}
	require.Positive(t, crashed, "no client crash caught an operation in flight")
}
