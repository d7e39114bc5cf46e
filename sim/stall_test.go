package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

// A fixed primary that is down makes every client wait: the run's longest
// stall covers most of the downtime and some operations miss their
// deadline. paxos, which has no primary, keeps answering through the same
// crash; and with no faults every operation is answered in time.
func TestStallAndAvailabilityFiguresShowADownPrimary(t *testing.T) {
	run := func(proto, faults string, sched []sim.Fault) sim.Stats {
		c := sim.DefaultConfig(proto, 5) // the classic profile's sizes
		require.NoError(t, c.ApplyFaults(faults))
		sc := sim.NewScenario(c)
		if sched != nil {
			sc.Schedule = sched
		}
		res, err := sim.RunScenario(sc, sim.Options{})
		require.NoError(t, err)
		return res.Stats
	}
	crash := []sim.Fault{{Kind: sim.Crash, StartNs: 50_000_000, EndNs: 650_000_000, Nodes: []int{0}}}
	const ms = 1_000_000

	pb := run("pb", "none,ops=50", crash)
	require.Greater(t, pb.MaxStallNs, int64(500*ms), "the clients wait out the primary's downtime")
	require.Less(t, pb.Availability(), 1.0, "operations waiting on the primary missed their deadline")

	px := run("paxos", "none,ops=50", crash)
	require.Less(t, px.MaxStallNs, int64(100*ms), "paxos answers with a replica down")
	require.Greater(t, px.Availability(), pb.Availability())
	t.Logf("pb: availability %.3f, longest stall %dms; paxos: %.3f, %dms", pb.Availability(), pb.MaxStallNs/ms, px.Availability(), px.MaxStallNs/ms)

	calm := run("pb", "none", []sim.Fault{})
	require.Equal(t, 1.0, calm.Availability())
	require.Less(t, calm.MaxStallNs, int64(20*ms))

	// Aimed by --faults: isolating the primary stalls pb as well.
	iso := run("pb", "none,ops=50,partitions=3,partition-kinds=isolate,isolate-nodes=0,partition-min=300ms,partition-max=400ms", nil)
	require.Greater(t, iso.MaxStallNs, int64(200*ms))
}
