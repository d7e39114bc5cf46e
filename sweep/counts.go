package sweep

import (
	"slices"

	"github.com/casimlab/casim/checker"
)

// Verdicts lists the seeds of each verdict but "linearizable". A sweep's
// Summary and a merge's Totals both embed it, so the two count a seed the
// same way and print the same JSON fields.
type Verdicts struct {
	Failing     []uint64 `json:"failing"`
	Stuck       []uint64 `json:"stuck"`
	Unavailable []uint64 `json:"unavailable"`
	Unknown     []uint64 `json:"unknown"`
}

// newVerdicts has empty lists, which JSON prints as [] rather than null.
func newVerdicts() Verdicts {
	return Verdicts{Failing: []uint64{}, Stuck: []uint64{}, Unavailable: []uint64{}, Unknown: []uint64{}}
}

func (v *Verdicts) add(o *Outcome) {
	switch o.Verdict {
	case checker.Illegal:
		v.Failing = append(v.Failing, o.Seed)
	case Stuck:
		v.Stuck = append(v.Stuck, o.Seed)
	case Unavailable:
		v.Unavailable = append(v.Unavailable, o.Seed)
	case checker.Unknown:
		v.Unknown = append(v.Unknown, o.Seed)
	}
}

func (v *Verdicts) sort() {
	for _, s := range [][]uint64{v.Failing, v.Stuck, v.Unavailable, v.Unknown} {
		slices.Sort(s)
	}
}

// Load is what the seeds did: operations, indeterminate ones, events and
// messages, summed.
type Load struct {
	Ops      int64 `json:"ops"`
	Info     int64 `json:"info"`
	Events   int64 `json:"events"`
	Messages int64 `json:"messages"`
}

func (l *Load) add(o *Outcome) {
	l.Ops += int64(o.Ops)
	l.Info += int64(o.Info)
	l.Events += o.Events
	l.Messages += o.Messages
}

// Stalls are the availability figures over all seeds: operations answered
// within their deadline and their share of Ops (see
// sim.Stats.Availability), and the longest stall of any seed, MaxStallSeed
// that seed.
type Stalls struct {
	InTime       int64   `json:"in_time"`
	Availability float64 `json:"availability"`
	MaxStallNs   int64   `json:"max_stall_ns"`
	MaxStallSeed uint64  `json:"max_stall_seed"`
}

func (s *Stalls) add(o *Outcome, ops int64) {
	s.InTime += int64(o.InTime)
	s.Availability = float64(s.InTime) / float64(max(ops, 1))
	if o.MaxStallNs > s.MaxStallNs {
		s.MaxStallNs, s.MaxStallSeed = o.MaxStallNs, o.Seed
	}
}
