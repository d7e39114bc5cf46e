package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

// quiet is the default scenario with every random fault off, so that a
// test's explicit schedule is the only fault.
func quiet(seed uint64) sim.Config {
	c := sim.DefaultConfig("paxos", seed)
	if err := c.ApplyFaults("none"); err != nil {
		panic(err)
	}
	return c
}

// observe runs sc and returns its trace events.
func observe(t *testing.T, sc sim.Scenario) ([]sim.TraceEvent, *sim.Result) {
	t.Helper()
	var evs []sim.TraceEvent
	res, err := sim.RunScenario(sc, sim.Options{Observe: func(e sim.TraceEvent) { evs = append(evs, e) }})
	require.NoError(t, err)
	return evs, res
}

// count counts events of kind between endpoints from and to (-1: any) in
// [startNs, endNs).
func count(evs []sim.TraceEvent, kind string, from, to int, startNs, endNs int64) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind && (from < 0 || e.From == from) && (to < 0 || e.To == to) && e.AtNs >= startNs && e.AtNs < endNs {
			n++
		}
	}
	return n
}

const ms = 1_000_000

func TestPartitionShapesCutTheRightLinks(t *testing.T) {
	// 3 replicas (0..2), clients are endpoints 3..6.
	for _, tc := range []struct {
		fault     sim.Fault
		cut, kept [][2]int // directed links
	}{
		{sim.Fault{Kind: sim.Isolate, Nodes: []int{0}},
			[][2]int{{1, 0}, {0, 1}, {3, 0}, {0, 4}}, [][2]int{{1, 2}, {3, 1}}},
		{sim.Fault{Kind: sim.Split, Nodes: []int{2}},
			[][2]int{{2, 0}, {0, 2}, {1, 2}}, [][2]int{{0, 1}, {3, 2}, {2, 3}}},
		{sim.Fault{Kind: sim.Asymmetric, Nodes: []int{0}, Peers: []int{1}},
			[][2]int{{0, 1}}, [][2]int{{1, 0}, {0, 2}}},
		{sim.Fault{Kind: sim.Bridge, Nodes: []int{0}, Peers: []int{1}},
			[][2]int{{0, 1}, {1, 0}}, [][2]int{{0, 2}, {2, 0}, {1, 2}, {2, 1}}},
		{sim.Fault{Kind: sim.ClientCut, Clients: []int{0}, Peers: []int{0, 1}},
			[][2]int{{3, 0}, {3, 1}, {0, 3}}, [][2]int{{3, 2}, {4, 0}}},
	} {
		t.Run(string(tc.fault.Kind), func(t *testing.T) {
			f := tc.fault
			f.StartNs, f.EndNs = 0, 10_000*ms // the whole run
			sc := sim.Scenario{Config: quiet(1), Schedule: []sim.Fault{f}}
			sc.Client.Hedge = sim.HedgeOff
			evs, _ := observe(t, sc)
			for _, l := range tc.cut {
				require.Zero(t, count(evs, "deliver", l[0], l[1], 0, f.EndNs), "%v must be cut", l)
			}
			for _, l := range tc.kept {
				require.NotZero(t, count(evs, "deliver", l[0], l[1], 0, f.EndNs), "%v must still deliver", l)
			}
		})
	}
}

// A partition makes the minority's operations time out: a client cut off
// from every replica completes nothing while the partition lasts.
func TestPartitionedClientTimesOut(t *testing.T) {
	f := sim.Fault{Kind: sim.ClientCut, Clients: []int{0}, Peers: []int{0, 1, 2}, StartNs: 0, EndNs: 10_000 * ms}
	sc := sim.Scenario{Config: quiet(2), Schedule: []sim.Fault{f}}
	sc.Client.Resolve = false
	_, res := observe(t, sc)
	for _, e := range res.History {
		if e.Process == 0 || e.Process >= sc.Clients { // client 0's processes
			if e.Type.String() != "invoke" && e.TimeNs < f.EndNs {
				require.Equal(t, "info", e.Type.String(), "client 0 cannot complete an operation: %+v", e)
			}
		}
	}
	require.Positive(t, res.Stats.Info)
}

func TestPauseDelaysTimersAndDeliveries(t *testing.T) {
	f := sim.Fault{Kind: sim.Pause, Nodes: []int{1}, StartNs: 20 * ms, EndNs: 60 * ms}
	evs, _ := observe(t, sim.Scenario{Config: quiet(3), Schedule: []sim.Fault{f}})
	require.Zero(t, count(evs, "deliver", -1, 1, f.StartNs+1, f.EndNs), "nothing reaches a paused node")
	require.Zero(t, count(evs, "timer", 1, -1, f.StartNs+1, f.EndNs), "a paused node's timers wait")
	require.NotZero(t, count(evs, "deliver", -1, 1, f.EndNs, f.EndNs+1), "what waited is handled at the resume")
	require.NotZero(t, count(evs, "deliver", -1, 0, f.StartNs+1, f.EndNs), "the others go on")
}

func TestCrashLosesVolatileStateAndRestarts(t *testing.T) {
	f := sim.Fault{Kind: sim.Crash, Nodes: []int{2}, StartNs: 30 * ms, EndNs: 80 * ms}
	evs, res := observe(t, sim.Scenario{Config: quiet(4), Schedule: []sim.Fault{f}})
	require.Equal(t, 1, count(evs, "crash", 2, -1, 0, 1<<62))
	require.Equal(t, 1, count(evs, "restart", 2, -1, 0, 1<<62))
	require.Zero(t, count(evs, "deliver", -1, 2, f.StartNs, f.EndNs), "a crashed node receives nothing")
	require.Zero(t, count(evs, "timer", 2, -1, f.StartNs, f.EndNs))
	require.NotZero(t, count(evs, "deliver", -1, 2, f.EndNs, 1<<62), "the restarted node takes part again")
	require.Empty(t, res.Stuck)
}

// A crash after sync strikes once the node's pending durable writes
// complete, before what it was about to send leaves: the node sends
// nothing at the crash instant.
func TestCrashAfterSyncWaitsForTheSync(t *testing.T) {
	c := quiet(5)
	c.Storage = sim.Storage{SyncMinNs: 2 * ms, SyncMaxNs: 2 * ms}
	for start := int64(10 * ms); start < 40*ms; start += ms / 3 {
		f := sim.Fault{Kind: sim.Crash, Nodes: []int{0}, StartNs: start, EndNs: start + 50*ms, AfterSync: true}
		evs, _ := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{f}})
		var crashAt int64 = -1
		for _, e := range evs {
			if e.Kind == "crash" {
				crashAt = e.AtNs
			}
		}
		if crashAt > start {
			// It waited for a sync: nothing left node 0 at that instant.
			require.Zero(t, count(evs, "send", 0, -1, crashAt, crashAt+1))
			return
		}
	}
	t.Fatal("no crash waited for a pending sync")
}

func TestDuplicatesAreDeliveredTwice(t *testing.T) {
	c := quiet(6)
	c.Network.DupRatio = 1
	c.OpsPerClient = 20 // a run longer than the 50ms margin below
	evs, res := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{}})
	sends := 0
	for _, e := range evs {
		if e.Kind == "send" && e.From != e.To {
			sends++
		}
	}
	require.Equal(t, int64(sends), res.Stats.Duplicated)
	// Each cross-node message is delivered twice, unless the run ended
	// with a copy in flight: every message sent 50ms or more before the
	// run's last event was.
	type msg struct {
		from, to int
		detail   string
	}
	sent, delivered, early := map[msg]int{}, map[msg]int{}, map[msg]bool{}
	lastNs := evs[len(evs)-1].AtNs
	for _, e := range evs {
		if e.From == e.To {
			continue
		}
		k := msg{e.From, e.To, e.Msg + e.Detail}
		switch e.Kind {
		case "send":
			sent[k]++
			early[k] = e.AtNs < lastNs-50_000_000
		case "deliver":
			delivered[k]++
		}
	}
	checked := 0
	for k, n := range sent {
		if early[k] {
			require.Equal(t, 2*n, delivered[k], "%v", k)
			checked++
		}
	}
	require.Positive(t, checked)
}

func TestDropRatioLosesMessagesUntilTheHeal(t *testing.T) {
	c := quiet(7)
	c.Network.DropRatio = 0.5
	evs, res := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{}})
	var sends, drops, dropsAfter int
	for _, e := range evs {
		if e.From == e.To {
			continue
		}
		switch {
		case e.Kind == "send" && e.AtNs < res.HealNs:
			sends++
		case e.Kind == "drop" && e.AtNs < res.HealNs:
			drops++
		case e.Kind == "drop":
			dropsAfter++
		}
	}
	require.InDelta(t, 0.5, float64(drops)/float64(sends), 0.05)
	require.Zero(t, dropsAfter, "the liveness phase loses nothing")
}

func TestSlowNodeStretchesItsMessages(t *testing.T) {
	c := quiet(8)
	c.Network.Latency = sim.Latency{Dist: sim.Constant, MinNs: ms}
	f := sim.Fault{Kind: sim.Slow, Nodes: []int{1}, Factor: 10, StartNs: 0, EndNs: 10_000 * ms}
	evs, _ := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{f}})
	// With constant latency, each message takes exactly 1ms, or 10ms to or
	// from the slow node.
	hs := hops(evs)
	require.Greater(t, len(hs), 100)
	for _, h := range hs {
		want := int64(ms)
		if h.from == 1 || h.to == 1 {
			want = 10 * ms
		}
		require.Equal(t, want, h.delayNs, "%d→%d", h.from, h.to)
	}
}

func TestClockStepMovesTokens(t *testing.T) {
	step := int64(5_000 * ms)
	c := quiet(9)
	f := sim.Fault{Kind: sim.ClockStep, Clients: []int{0}, StepNs: step, StartNs: 50 * ms, EndNs: 50 * ms}
	evs, _ := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{f}})
	// Client 0 is endpoint 3; its requests' token times jump by the step.
	before, after := 0, 0
	for _, e := range evs {
		if e.Kind != "send" || e.From != 3 {
			continue
		}
		tok := tokenTime(t, e.Detail)
		skew := tok - sim.ClockEpochNs - e.AtNs
		if e.AtNs < f.StartNs {
			require.LessOrEqual(t, skew, int64(0), "before the step the token is no later than now")
			before++
		} else if skew > step-500*ms {
			after++ // invoked after the step: its token is about 5s ahead
		}
	}
	require.Positive(t, before)
	require.Positive(t, after)
}

func TestLatencyDistributions(t *testing.T) {
	for _, l := range []sim.Latency{
		{Dist: sim.Constant, MinNs: 3 * ms},
		{Dist: sim.Uniform, MinNs: ms, MaxNs: 2 * ms},
		{Dist: sim.Exponential, MinNs: ms, MeanNs: ms},
		{Dist: sim.Pareto, MinNs: ms, MeanNs: ms, Shape: 1.5, MaxNs: 50 * ms},
		{Dist: sim.LogNormal, MinNs: ms, MeanNs: ms, Shape: 1, MaxNs: 50 * ms},
	} {
		t.Run(string(l.Dist), func(t *testing.T) {
			c := quiet(10)
			c.Network.Latency = l
			evs, _ := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{}})
			var sum, hi int64
			hs := hops(evs)
			for _, h := range hs {
				require.GreaterOrEqual(t, h.delayNs, l.MinNs)
				if l.MaxNs > l.MinNs {
					require.LessOrEqual(t, h.delayNs, l.MaxNs)
				}
				sum += h.delayNs
				hi = max(hi, h.delayNs)
			}
			mean := sum / int64(len(hs))
			switch l.Dist {
			case sim.Constant:
				require.Equal(t, l.MinNs, hi)
			case sim.Uniform:
				require.InDelta(t, 1.5*ms, float64(mean), 0.1*ms)
			default:
				// min + a mean of 1ms, less what the cap cuts off
				require.InDelta(t, 2*ms, float64(mean), 0.5*ms)
			}
		})
	}
}

func TestReorderingOvertakes(t *testing.T) {
	c := quiet(11)
	c.Network.Latency = sim.Latency{Dist: sim.Constant, MinNs: ms}
	c.Network.ReorderRatio, c.Network.ReorderMaxNs = 0.3, 5*ms
	evs, _ := observe(t, sim.Scenario{Config: c, Schedule: []sim.Fault{}})
	late := 0
	for _, h := range hops(evs) {
		if h.delayNs > ms {
			late++
		}
	}
	require.Positive(t, late, "some messages are held back past the constant latency")
}
