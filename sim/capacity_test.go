package sim_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

func TestCapacitySettingsRefused(t *testing.T) {
	for _, spec := range []string{
		"service=0", "service=0s", "service=-1ms", "service=fast",
		"workers=0", "workers=-2", "workers=x",
		"load=abc", "load=-1", "load=NaN", "load=1e-300", "surge=0,surge-for=1s",
		"shed=maybe", "queue-limit=0", "ramp=0.5", "hot=2", "retry-budget=1.5", "limit=vegas",
		"write-cost=0.5",
	} {
		c := sim.DefaultConfig("paxos", 1)
		err := c.ApplyFaults(spec)
		if err == nil {
			err = c.Validate() // in range for the parser, not for a run
		}
		require.Error(t, err, spec)
	}
	c := sim.DefaultConfig("paxos", 1)
	require.NoError(t, c.ApplyFaults("service=1ms,workers=4,load=100.5,shed=on,ramp=2,hot=0.3,retry-budget=0.1,limit=aimd"))
	require.NoError(t, c.Validate())
	// A scenario file can hold what --faults refuses: Validate refuses it too.
	c.Capacity.Workers = 0
	require.ErrorContains(t, c.Validate(), "workers")
	c = sim.DefaultConfig("paxos", 1)
	c.Capacity.ServiceNs = -5
	require.ErrorContains(t, c.Validate(), "service time")
}

// overload runs paxos at about six times its capacity (four open-loop
// clients at 300 ops/s, each message served in 200µs on one worker).
func overload(t *testing.T, shed string, seed uint64) *sim.Result {
	t.Helper()
	c := sim.DefaultConfig("paxos", seed)
	require.NoError(t, c.ApplyFaults("none,keys=1000,ops=100,service=200us,load=300,retry-budget=0.1,queue-limit=8,shed="+shed))
	res, err := sim.Run(c, sim.Options{})
	require.NoError(t, err)
	return res
}

func p99(res *sim.Result) int64 {
	var lat []int64
	for _, k := range res.Stats.Kinds {
		lat = append(lat, k.LatenciesNs...)
	}
	if len(lat) == 0 {
		return -1
	}
	slices.Sort(lat)
	return lat[len(lat)*99/100]
}

// Past the knee, FIFO queues let new requests delay the phases of
// operations already admitted until they outlive their attempts (the
// work is wasted and goodput collapses); serving replicas' messages
// first finishes admitted work. Simulated goodput, not time: the same on
// every machine.
func TestPriorityQueueKeepsGoodputPastTheKnee(t *testing.T) {
	good := func(queue string) float64 {
		var sum float64
		for seed := uint64(1); seed <= 3; seed++ {
			c := sim.DefaultConfig("paxos", seed)
			require.NoError(t, c.ApplyFaults("none,service=200us,keys=1000,ops=200,shed=on,retry-budget=0.1,load=120,queue="+queue))
			res, err := sim.Run(c, sim.Options{})
			require.NoError(t, err)
			g, _ := sweep.Capacity(res)
			sum += g
		}
		return sum / 3
	}
	fifo, priority := good("fifo"), good("priority")
	t.Logf("goodput share at 480 ops/s offered: fifo %.3f, priority %.3f", fifo, priority)
	require.Greater(t, priority, 2*fifo, "admitted work first keeps goodput past the knee")
}

// Shedding keeps the answers coming under overload; unbounded queueing
// does not: the queue grows, operations miss their deadlines.
func TestOverloadShedsInsteadOfQueueing(t *testing.T) {
	on, off := overload(t, "on", 1), overload(t, "off", 1)
	deadline := on.Config.Client.DeadlineNs
	goodOn, _ := sweep.Capacity(on)
	availOn := on.Stats.Availability()
	goodOff, _ := sweep.Capacity(off)
	availOff := off.Stats.Availability()
	t.Logf("shed=on: shed %d, availability %.3f, goodput %.3f, p99 %dms, queue max %d",
		on.Stats.Shed, availOn, goodOn, p99(on)/1e6, on.Stats.QueuedMax)
	t.Logf("shed=off: availability %.3f, goodput %.3f, p99 %dms, queue max %d",
		availOff, goodOff, p99(off)/1e6, off.Stats.QueuedMax)

	require.Positive(t, on.Stats.Shed)
	require.Positive(t, p99(on))
	require.LessOrEqual(t, p99(on), 3*deadline, "shedding keeps p99 within a few deadlines")
	require.Zero(t, off.Stats.Shed, "shed=off never sheds")
	require.Greater(t, off.Stats.QueuedMax, 10*on.Config.Capacity.QueueLimit, "without shedding the queue grows")
	require.Greater(t, availOn-availOff, 0.5, "shedding answers in time what queueing leaves to time out")
	require.Greater(t, goodOn, goodOff)

	// Every "overloaded" failure is in the history as a definite failure,
	// and the history stays linearizable.
	overloaded := 0
	for _, e := range on.History {
		if e.Type == history.Fail && e.Error == "overloaded" {
			overloaded++
		}
	}
	require.Positive(t, overloaded)
	chk, err := checker.Check(context.Background(), on.History, 0)
	require.NoError(t, err)
	require.Equal(t, checker.Linearizable, chk.Verdict)
}

// An open loop keeps invoking while earlier operations are open: more
// processes than clients, and the same seed gives the same run.
func TestOpenLoopIsDeterministicAndConcurrent(t *testing.T) {
	c := sim.DefaultConfig("paxos", 3)
	require.NoError(t, c.ApplyFaults("keys=100,ops=40,service=100us,workers=2,load=400,hot=0.5,ramp=2,shed=on"))
	a, err := sim.Run(c, sim.Options{})
	require.NoError(t, err)
	b, err := sim.Run(c, sim.Options{})
	require.NoError(t, err)
	require.Equal(t, a.TraceHash, b.TraceHash)
	procs := map[int]bool{}
	open, maxOpen, hot := 0, 0, 0
	for _, e := range a.History {
		procs[e.Process] = true
		if e.Type == history.Invoke {
			open++
			if e.Key == "k0" {
				hot++
			}
		} else {
			open--
		}
		maxOpen = max(maxOpen, open)
	}
	require.Greater(t, len(procs), c.Clients)
	require.Greater(t, maxOpen, c.Clients, "operations overlap within a client")
	require.Greater(t, hot, 4*c.Clients*c.OpsPerClient/10, "about half the operations go to the hot key")
	require.Equal(t, 4*40, a.Stats.Ops())
}

// The client's answers to overload: a retry budget holds retries to a
// share of the operations; an adaptive limit refuses arrivals over it at
// once, before sending anything.
func TestRetryBudgetAndAdaptiveLimit(t *testing.T) {
	run := func(spec string) (*sim.Result, map[int]bool) {
		c := sim.DefaultConfig("paxos", 2)
		require.NoError(t, c.ApplyFaults("none,keys=1000,ops=100,service=200us,load=300,shed=on,"+spec))
		sent := map[int]bool{} // operations that sent a message
		res, err := sim.Run(c, sim.Options{Observe: func(e sim.TraceEvent) {
			if e.Kind == "send" && e.Op >= 0 {
				sent[e.Op] = true
			}
		}})
		require.NoError(t, err)
		return res, sent
	}
	free, _ := run("retry-budget=0")
	budget, _ := run("retry-budget=0.05")
	t.Logf("retries: unbudgeted %d, 5%% budget %d", free.Stats.Retries, budget.Stats.Retries)
	require.LessOrEqual(t, budget.Stats.Retries, 4*(10+5), "at most 10 + 5% of 100 ops per client")
	require.Greater(t, free.Stats.Retries, budget.Stats.Retries)

	for _, limit := range []string{"aimd", "gradient"} {
		res, sent := run("retry-budget=0.05,limit=" + limit)
		opOf := map[int]int{} // invoke event index → operation
		for op, i := range res.OpInvokes {
			opOf[i] = op
		}
		open := map[int]int{} // process → its open invoke's index
		refused := 0
		for i, e := range res.History {
			if e.Type == history.Invoke {
				open[e.Process] = i
				continue
			}
			inv := open[e.Process]
			if e.Type == history.Fail && e.Error == "limited" {
				refused++
				require.Equal(t, res.History[inv].TimeNs, e.TimeNs, "%s: refused at once", limit)
				require.False(t, sent[opOf[inv]], "%s: a refused operation sends nothing", limit)
			}
		}
		t.Logf("%s: %d arrivals refused by the client", limit, refused)
		require.Positive(t, refused, limit)
	}
}

// A scenario file carries the capacity settings and replays to the same
// trace; one without them reads as capacity off.
func TestCapacityScenarioRoundTrip(t *testing.T) {
	c := sim.DefaultConfig("paxos", 5)
	require.NoError(t, c.ApplyFaults("keys=50,ops=20,service=300us,workers=2,load=200,shed=on,retry-budget=0.1,degrade=cache"))
	sc := sim.NewScenario(c)
	var buf bytes.Buffer
	require.NoError(t, sc.WriteJSON(&buf))
	require.Contains(t, buf.String(), `"capacity"`)
	back, err := sim.ReadScenario(&buf)
	require.NoError(t, err)
	require.Equal(t, sc.Config.Capacity, back.Config.Capacity)
	a, err := sim.RunScenario(sc, sim.Options{})
	require.NoError(t, err)
	b, err := sim.RunScenario(back, sim.Options{})
	require.NoError(t, err)
	require.Equal(t, a.TraceHash, b.TraceHash)

	plain := sim.NewScenario(sim.DefaultConfig("paxos", 5))
	buf.Reset()
	require.NoError(t, plain.WriteJSON(&buf))
	require.NotContains(t, buf.String(), `"capacity"`, "off by default, absent from scenario files")

	_, err = sim.ReadScenario(strings.NewReader(`{"casim_scenario":1,"protocol":"paxos","seed":1,"capacity":{"service_ns":1000,"workers":0}}`))
	if err == nil {
		bad := sim.DefaultConfig("paxos", 1)
		bad.Capacity = sim.Capacity{ServiceNs: 1000}
		err = bad.Validate()
	}
	require.ErrorContains(t, err, "workers")
}
