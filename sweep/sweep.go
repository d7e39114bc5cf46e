package sweep

import (
	"context"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// Config describes a sweep.
type Config struct {
	// Protocol and Start name the sweep in its summary.
	Protocol string
	Start    uint64
	// Seeds are run in this order, and reported in it: a Range (of a
	// shard) or a List.
	Seeds Seeds
	// Workers is how many seeds run at once (each run is single-threaded).
	Workers int
	// Budget bounds the check of each seed's history (0: none).
	Budget time.Duration
	// Scenario is the scenario of a seed.
	Scenario func(seed uint64) (sim.Scenario, error)
	// Replay, if set, fills each outcome's Replay: the command that
	// reproduces the seed.
	Replay func(seed uint64) string
	// Progress, if set, is called with each outcome, in seed order, and the
	// summary so far. The outcome's Result and Check are already dropped.
	Progress func(o *Outcome, s *Summary)
	// CheckDeterminism runs every seed a second time, in a second pass
	// under another GOMAXPROCS, and lists the seeds whose trace hash
	// differed in Summary.Nondeterministic. An interrupted sweep skips it.
	CheckDeterminism bool
	// Perturb, if set, changes the scenario of every second run: tests use
	// it to inject nondeterminism and see it caught.
	Perturb func(sim.Scenario) sim.Scenario
}

// Summary is a sweep's totals, the last line of `casim sweep --json`.
type Summary struct {
	Summary  bool   `json:"summary"`
	Protocol string `json:"protocol"`
	Start    uint64 `json:"start"`
	Seeds    int    `json:"seeds"`
	Verdicts
	Load
	WallNs     int64       `json:"wall_ns"`
	SeedsPerS  float64     `json:"seeds_per_s"`
	EventsPerS float64     `json:"events_per_s"`
	ByOp       []OpFigures `json:"by_op"`
	Stalls
	// Interrupted: the sweep was stopped (its context ended) before every
	// seed ran; Seeds says how many did.
	Interrupted bool `json:"interrupted,omitempty"`

	figures ByOp
	// CheckedDeterminism: every seed ran a second time under another
	// GOMAXPROCS; Nondeterministic lists those whose trace hash differed.
	CheckedDeterminism bool       `json:"checked_determinism,omitempty"`
	Nondeterministic   []Mismatch `json:"nondeterministic,omitempty"`
}

// Add counts one outcome.
func (s *Summary) Add(o *Outcome) {
	s.Seeds++
	s.Load.add(o)
	s.Stalls.add(o, s.Ops)
	s.figures.Merge(&o.Figures)
	s.Verdicts.add(o)
}

// Run runs the sweep's seeds on its workers and checks each history. When
// ctx ends (Ctrl-C), no more seeds start, and the summary covers those
// that ran, marked Interrupted.
func Run(ctx context.Context, c Config) (*Summary, error) {
	start := time.Now()
	sum := &Summary{Summary: true, Protocol: c.Protocol, Start: c.Start, Verdicts: newVerdicts()}
	var hashes []string
	ran, err := Each(ctx, c.Workers, c.Seeds.Len(), func(i int) (*Outcome, error) {
		seed := c.Seeds.At(i)
		sc, err := c.Scenario(seed)
		if err != nil {
			return nil, err
		}
		o, err := Simulate(sc, sim.Options{}, c.Budget, false)
		if err != nil {
			return nil, err
		}
		o.Result, o.Check = nil, checker.Result{} // keep memory flat
		if c.Replay != nil {
			o.Replay = c.Replay(seed)
		}
		return o, nil
	}, func(_ int, o *Outcome) {
		sum.Add(o)
		if c.CheckDeterminism {
			hashes = append(hashes, o.TraceHash)
		}
		if c.Progress != nil {
			c.Progress(o, sum)
		}
	})
	if err != nil {
		return nil, err
	}
	sum.Interrupted = ran < c.Seeds.Len()
	sum.WallNs = time.Since(start).Nanoseconds()
	secs := time.Duration(sum.WallNs).Seconds()
	sum.SeedsPerS = float64(sum.Seeds) / secs
	sum.EventsPerS = float64(sum.Events) / secs
	sum.ByOp = sum.figures.Final()
	if c.CheckDeterminism && !sum.Interrupted {
		// A stopped sweep is not rechecked; a recheck that is stopped
		// claims nothing about determinism.
		var rechecked int
		sum.Nondeterministic, rechecked, err = recheck(ctx, c, c.Seeds, hashes)
		if err != nil {
			return nil, err
		}
		sum.CheckedDeterminism = rechecked == c.Seeds.Len()
		sum.Interrupted = !sum.CheckedDeterminism
	}
	return sum, nil
}
