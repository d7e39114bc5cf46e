// Package bench measures casim on this machine: the simulator's events
// per second beside a bare event loop, seeds per second on 1 and 2
// workers (the sweep's worker pool), the checker against porcupine called
// directly, and history parsing. It is `casim bench` for callers in Go;
// `go test -bench` in sim and checker measures the same as Go benchmarks.
package bench

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// Result is one measurement, a line of `casim bench`.
type Result struct {
	Name           string  `json:"name"`
	What           string  `json:"what"`
	WallNs         int64   `json:"wall_ns"`
	Events         int64   `json:"events,omitempty"`
	EventsPerS     float64 `json:"events_per_s,omitempty"`
	SimSPerS       float64 `json:"sim_s_per_s,omitempty"`
	SeedsPerS      float64 `json:"seeds_per_s,omitempty"`
	CheckOpsPerS   float64 `json:"check_ops_per_s,omitempty"`
	AllocsPerEvent float64 `json:"allocs_per_event,omitempty"`
	// Ratio compares with the entry's yardstick (see What).
	Ratio float64 `json:"ratio,omitempty"`
}

// Line renders the figures for people, the yardstick last.
func (r Result) Line() string {
	s := ""
	add := func(format string, args ...any) { s += fmt.Sprintf(format, args...) + "  " }
	if r.EventsPerS > 0 {
		add("%.2fM events/s", r.EventsPerS/1e6)
	}
	if r.SimSPerS > 0 {
		add("%.0f sim-s/s", r.SimSPerS)
	}
	if r.SeedsPerS > 0 {
		add("%.0f seeds/s", r.SeedsPerS)
	}
	if r.CheckOpsPerS > 0 {
		add("%.2fM checked ops/s", r.CheckOpsPerS/1e6)
	}
	if r.AllocsPerEvent > 0 {
		add("%.2f allocs/event", r.AllocsPerEvent)
	}
	if r.Ratio > 0 {
		add("ratio %.2f", r.Ratio)
	}
	return s + "(" + r.What + ")"
}

func mallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

// Run takes every measurement of `casim bench`, simulation benchmarks
// over seeds seeds: the bare event loop, the default paxos scenario on
// one core, sweeps on 1 and 2 workers, the checker against porcupine, and
// parsing.
func Run(seeds int) ([]Result, error) {
	var out []Result

	start := time.Now()
	const bareEvents = 5_000_000
	sim.BareLoop(bareEvents)
	bare := Result{Name: "bare-loop", What: "binary heap of value events, no work: the ceiling",
		WallNs: time.Since(start).Nanoseconds(), Events: bareEvents}
	bare.EventsPerS = float64(bareEvents) / time.Since(start).Seconds()
	out = append(out, bare)

	paxos, histories, err := Seeds("paxos", seeds)
	if err != nil {
		return nil, err
	}
	paxos.Ratio = paxos.EventsPerS / bare.EventsPerS
	paxos.What = fmt.Sprintf("default scenario, %d seeds, one core; ratio to the bare loop", seeds)
	out = append(out, paxos)

	one, err := Sweep(seeds, 1)
	if err != nil {
		return nil, err
	}
	two, err := Sweep(seeds, 2)
	if err != nil {
		return nil, err
	}
	two.Ratio = two.SeedsPerS / one.SeedsPerS
	out = append(out, one, two)

	var ops int
	start = time.Now()
	for _, h := range histories {
		if _, err := checker.CheckWith(context.Background(), h, checker.Options{NoWitness: true}); err != nil {
			return nil, err
		}
		ops += len(h) / 2
	}
	small := Result{Name: "check-small", What: fmt.Sprintf("the %d paxos histories, ~%d ops each", seeds, ops/seeds),
		WallNs: time.Since(start).Nanoseconds()}
	small.CheckOpsPerS = float64(ops) / time.Since(start).Seconds()
	out = append(out, small)

	for _, size := range []struct {
		name      string
		ops, keys int
	}{{"check-10k", 10_000, 100}, {"check-100k", 100_000, 1000}} {
		h, err := BigHistory(size.ops, size.keys)
		if err != nil {
			return nil, err
		}
		r, err := Check(size.name, h, size.keys)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
		if size.ops == 100_000 {
			p, err := Parse(h)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// Seeds runs seeds 1..n of a protocol's default scenario one after
// another and keeps their histories.
func Seeds(protocol string, n int) (Result, [][]history.Event, error) {
	var events, simNs int64
	var hs [][]history.Event
	before := mallocs()
	start := time.Now()
	for seed := 1; seed <= n; seed++ {
		res, err := sim.Run(sim.DefaultConfig(protocol, uint64(seed)), sim.Options{})
		if err != nil {
			return Result{}, nil, err
		}
		events += res.Stats.Events
		simNs += res.Stats.SimNs
		hs = append(hs, res.History)
	}
	wall := time.Since(start)
	allocs := mallocs() - before
	return Result{Name: protocol, WallNs: wall.Nanoseconds(), Events: events,
		EventsPerS: float64(events) / wall.Seconds(), SimSPerS: float64(simNs) / 1e9 / wall.Seconds(),
		SeedsPerS: float64(n) / wall.Seconds(), AllocsPerEvent: float64(allocs) / float64(events)}, hs, nil
}

// Sweep runs and checks n seeds of paxos on w workers.
func Sweep(n, w int) (Result, error) {
	start := time.Now()
	var events int64
	_, err := sweep.Each(context.Background(), w, n, func(i int) (int64, error) {
		seed := uint64(i + 1)
		o, err := sweep.Simulate(sim.Scenario{Config: sim.DefaultConfig("paxos", seed)}, sim.Options{}, 0, false)
		if err != nil {
			return 0, err
		}
		return o.Events, nil
	}, func(_ int, e int64) { events += e })
	wall := time.Since(start)
	r := Result{Name: fmt.Sprintf("sweep-%dw", w), WallNs: wall.Nanoseconds(), Events: events,
		EventsPerS: float64(events) / wall.Seconds(), SeedsPerS: float64(n) / wall.Seconds(),
		What: fmt.Sprintf("paxos run and check, %d workers", w)}
	if w > 1 {
		r.What += "; ratio to 1 worker"
	}
	return r, err
}

// BigHistory is a casim-made history of about ops operations over keys
// keys: paxos, no faults, many clients.
func BigHistory(ops, keys int) ([]history.Event, error) {
	c := sim.DefaultConfig("paxos", 1)
	if err := c.ApplyFaults("none"); err != nil {
		return nil, err
	}
	c.Clients, c.Keys = 50, keys
	c.OpsPerClient = ops / c.Clients
	c.Limits.MaxEvents, c.Limits.MaxSimNs, c.Limits.LivenessNs = 1<<40, 1<<60, 1<<60
	res, err := sim.Run(c, sim.Options{})
	if err != nil {
		return nil, err
	}
	return res.History, nil
}

// Check checks h with casim's checker and with porcupine directly,
// alternating, five times each, and compares the fastest of each: single
// timings of tens of milliseconds are at the mercy of the scheduler.
func Check(name string, h []history.Event, keys int) (Result, error) {
	ops, err := checker.Operations(h)
	if err != nil {
		return Result{}, err
	}
	var best, pbest time.Duration
	for i := range 5 {
		start := time.Now()
		res, err := checker.CheckWith(context.Background(), h, checker.Options{NoWitness: true})
		if err != nil {
			return Result{}, err
		}
		wall := time.Since(start)
		if res.Verdict != checker.Linearizable {
			return Result{}, fmt.Errorf("%s: the history is %s", name, res.Verdict)
		}
		pstart := time.Now()
		porcupine.CheckOperations(model.Porcupine(), ops)
		pwall := time.Since(pstart)
		if i == 0 || wall < best {
			best = wall
		}
		if i == 0 || pwall < pbest {
			pbest = pwall
		}
	}
	return Result{Name: name, WallNs: best.Nanoseconds(), CheckOpsPerS: float64(len(ops)) / best.Seconds(),
		Ratio: best.Seconds() / pbest.Seconds(),
		What: fmt.Sprintf("casim-made, %d ops on %d keys, best of 5; ratio of time to porcupine called directly (%s), which skips parsing events into operations",
			len(ops), keys, pbest.Round(time.Millisecond))}, nil
}

// Parse writes h as JSON Lines and reads it back.
func Parse(h []history.Event) (Result, error) {
	var buf bytes.Buffer
	if err := history.WriteJSONL(&buf, h); err != nil {
		return Result{}, err
	}
	start := time.Now()
	if _, err := history.ParseJSONL(bytes.NewReader(buf.Bytes())); err != nil {
		return Result{}, err
	}
	wall := time.Since(start)
	return Result{Name: "parse-100k", WallNs: wall.Nanoseconds(), Events: int64(len(h)),
		EventsPerS: float64(len(h)) / wall.Seconds(),
		What:       fmt.Sprintf("JSON Lines, %d events, %.1f MB", len(h), float64(buf.Len())/1e6)}, nil
}
