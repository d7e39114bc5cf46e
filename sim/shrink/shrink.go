// Package shrink reduces a failing scenario to a small one that still
// fails the same way: delta debugging (Zeller's ddmin) over the fault
// schedule, the clients, the client operations and the fault settings,
// re-running the simulation and the checker for every candidate.
//
// Shrinking works because the simulator keys its random choices by
// operation (see package sim): a candidate without some operations runs
// the remaining ones with the same choices, so the failure tends to
// survive the cut rather than vanish into a reshuffled run.
package shrink

import (
	"context"
	"slices"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
)

// Options bound a shrink.
type Options struct {
	// CheckBudget bounds the checker on each candidate (0: 10s). A
	// candidate whose check runs out does not count as failing.
	CheckBudget time.Duration
	// Progress, if set, is called after every candidate run.
	Progress func(Progress)
}

// Progress is where a shrink stands.
type Progress struct {
	Runs   int
	Ops    int // operations of the smallest failing scenario so far
	Faults int
}

// Size measures a scenario for people.
type Size struct {
	Ops    int   `json:"ops"`
	Faults int   `json:"faults"`
	Events int64 `json:"events"`
}

// Result is a shrink's outcome.
type Result struct {
	// Minimal is the smallest failing scenario found.
	Minimal sim.Scenario
	// Verdict is how the original and the minimal scenario fail:
	// checker.Illegal, or "stuck".
	Verdict       checker.Verdict
	Before, After Size
	Runs          int
	// Complete is false when the context ended first: Minimal is then the
	// best so far.
	Complete bool
}

// Stuck is the verdict of a run whose liveness phase failed.
const Stuck checker.Verdict = "stuck"

// Unavailable is the verdict of a run whose availability check failed.
const Unavailable checker.Verdict = "unavailable"

// ErrPasses is returned for a scenario that does not fail.
type ErrPasses struct{ Verdict checker.Verdict }

func (e ErrPasses) Error() string {
	return "the scenario does not fail (verdict " + string(e.Verdict) + "): nothing to shrink"
}

// Verdict runs sc and checks it: illegal beats stuck beats the checker's
// own verdict, as in casim run.
func Verdict(ctx context.Context, sc sim.Scenario, checkBudget time.Duration) (checker.Verdict, *sim.Result, error) {
	res, err := sim.RunScenario(sc, sim.Options{})
	if err != nil {
		return "", nil, err
	}
	chk, err := checker.CheckWith(ctx, res.History, checker.Options{Budget: checkBudget, NoWitness: true})
	if err != nil {
		return "", nil, err
	}
	v := chk.Verdict
	if res.Stuck != "" && v != checker.Illegal {
		v = Stuck
	}
	if res.Unavailable != "" && v != checker.Illegal && v != Stuck {
		v = Unavailable
	}
	return v, res, nil
}

// shrinker holds the state of one shrink.
type shrinker struct {
	ctx    context.Context
	opts   Options
	target checker.Verdict
	best   sim.Scenario
	events int64
	runs   int
}

// Shrink reduces sc, which must fail, until no single step of the passes
// below keeps it failing, or ctx ends.
func Shrink(ctx context.Context, sc sim.Scenario, opts Options) (*Result, error) {
	if opts.CheckBudget == 0 {
		opts.CheckBudget = 10 * time.Second
	}
	v, res, err := Verdict(ctx, sc, opts.CheckBudget)
	if err != nil {
		return nil, err
	}
	if v != checker.Illegal && v != Stuck && v != Unavailable {
		return nil, ErrPasses{v}
	}
	sc = explicit(sc, res)
	if pinned, pres, err := Verdict(ctx, sc, opts.CheckBudget); err != nil || pinned != v {
		// Pinning the operations changed the run (it should not): shrink
		// without pins.
		sc.Pins = nil
	} else {
		res = pres
	}
	s := &shrinker{ctx: ctx, opts: opts, target: v, best: sc, events: res.Stats.Events, runs: 1}
	before := s.size()
	for s.ctx.Err() == nil {
		progress := s.faults()
		progress = s.clients() || progress
		progress = s.ops() || progress
		progress = s.settings() || progress
		if !progress {
			break
		}
	}
	s.trimLength()
	return &Result{Minimal: s.best, Verdict: v, Before: before, After: s.size(), Runs: s.runs,
		Complete: s.ctx.Err() == nil}, nil
}

// explicit makes the schedule and the operation lists of sc explicit, so
// that the passes can remove entries, and pins each operation to the time
// it was invoked in res (a run of sc).
func explicit(sc sim.Scenario, res *sim.Result) sim.Scenario {
	sc.Version = sim.ScenarioVersion
	sc.Schedule = res.Schedule
	sc.Ops = make([][]int, sc.Clients)
	sc.Pins = make([][]sim.Pin, sc.Clients)
	for c := range sc.Ops {
		sc.Ops[c], sc.Pins[c] = []int{}, []sim.Pin{}
	}
	for _, op := range res.Ops {
		pin := sim.Pin{NotBeforeNs: op.InvokeNs}
		if op.Input.Kind == model.Cas {
			pin.Expected = &op.Input.Expected
		}
		sc.Ops[op.Client] = append(sc.Ops[op.Client], op.Index)
		sc.Pins[op.Client] = append(sc.Pins[op.Client], pin)
	}
	return sc
}

// withOps is sc running only the operations in refs (in client order).
func withOps(sc sim.Scenario, refs []opRef) sim.Scenario {
	pins := map[opRef]sim.Pin{}
	for c, ops := range sc.Ops {
		for j, i := range ops {
			if sc.Pins != nil {
				pins[opRef{c, i}] = sc.Pins[c][j]
			}
		}
	}
	cand := sc
	cand.Ops = make([][]int, len(sc.Ops))
	if sc.Pins != nil {
		cand.Pins = make([][]sim.Pin, len(sc.Ops))
	}
	for c := range cand.Ops {
		cand.Ops[c] = []int{}
		if cand.Pins != nil {
			cand.Pins[c] = []sim.Pin{}
		}
	}
	for _, r := range refs {
		cand.Ops[r.client] = append(cand.Ops[r.client], r.index)
		if cand.Pins != nil {
			cand.Pins[r.client] = append(cand.Pins[r.client], pins[r])
		}
	}
	return cand
}

// refs lists the operations of sc.
func refs(sc sim.Scenario) []opRef {
	var all []opRef
	for c, ops := range sc.Ops {
		for _, i := range ops {
			all = append(all, opRef{c, i})
		}
	}
	return all
}

func (s *shrinker) size() Size {
	ops, faults := s.best.Size()
	return Size{Ops: ops, Faults: faults, Events: s.events}
}

// try runs a candidate and keeps it if it fails the same way.
func (s *shrinker) try(cand sim.Scenario) bool {
	if s.ctx.Err() != nil {
		return false
	}
	v, res, err := Verdict(s.ctx, cand, s.opts.CheckBudget)
	s.runs++
	kept := err == nil && v == s.target
	if kept {
		s.best, s.events = cand, res.Stats.Events
	}
	if s.opts.Progress != nil {
		ops, faults := s.best.Size()
		s.opts.Progress(Progress{Runs: s.runs, Ops: ops, Faults: faults})
	}
	return kept
}

// faults removes fault events.
func (s *shrinker) faults() bool {
	before := len(s.best.Schedule)
	keep := ddmin(s.best.Schedule, func(sub []sim.Fault) bool {
		cand := s.best
		cand.Schedule = slices.Clone(sub)
		if cand.Schedule == nil {
			cand.Schedule = []sim.Fault{}
		}
		return s.try(cand)
	})
	return len(keep) < before
}

// clients removes whole clients' operations.
func (s *shrinker) clients() bool {
	progress := false
	for c := range s.best.Ops {
		if len(s.best.Ops[c]) == 0 {
			continue
		}
		var others []opRef
		for _, r := range refs(s.best) {
			if r.client != c {
				others = append(others, r)
			}
		}
		if s.try(withOps(s.best, others)) {
			progress = true
		}
	}
	return progress
}

// opRef names one client operation.
type opRef struct{ client, index int }

// ops removes single operations and runs of them.
func (s *shrinker) ops() bool {
	all := refs(s.best)
	base := s.best
	keep := ddmin(all, func(sub []opRef) bool { return s.try(withOps(base, sub)) })
	return len(keep) < len(all)
}

// settings turns off fault settings one at a time, keeping each change
// that still fails, so the minimal scenario carries no noise it does not
// need.
func (s *shrinker) settings() bool {
	progress := false
	simplify := []func(c *sim.Config) bool{
		func(c *sim.Config) bool { return zero(&c.Network.DropRatio) },
		func(c *sim.Config) bool { return zero(&c.Network.DupRatio) },
		func(c *sim.Config) bool { return zero(&c.Network.ReorderRatio) },
		func(c *sim.Config) bool {
			changed := c.Storage != sim.Storage{}
			c.Storage = sim.Storage{}
			return changed
		},
		func(c *sim.Config) bool {
			changed := c.Client.Hedge != sim.HedgeOff
			c.Client.Hedge = sim.HedgeOff
			return changed
		},
	}
	for _, f := range simplify {
		cand := s.best
		if f(&cand.Config) && s.try(cand) {
			progress = true
		}
	}
	return progress
}

func zero(x *float64) bool {
	changed := *x != 0
	*x = 0
	return changed
}

// trimLength drops operation indexes no client uses from the end of the
// run; it changes nothing that happens.
func (s *shrinker) trimLength() {
	last := -1
	for _, ops := range s.best.Ops {
		for _, i := range ops {
			last = max(last, i)
		}
	}
	s.best.OpsPerClient = last + 1
}
