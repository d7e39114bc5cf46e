package main

import (
	"slices"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// outcomeCounts split one operation type's operations by how they ended.
// A cas whose compare failed was answered: for an operator it counts as
// available, like an ok.
type outcomeCounts struct {
	OK            int // ok
	CompareFailed int // a cas answered "compare failed"
	Failed        int // did not take effect (an error, or a resolving read's "not applied")
	Info          int // indeterminate
}

func (c *outcomeCounts) add(d outcomeCounts) {
	c.OK += d.OK
	c.CompareFailed += d.CompareFailed
	c.Failed += d.Failed
	c.Info += d.Info
}

// The availability chart's time axis: buckets of invoke time relative to
// the start of a run's first partition.
const (
	availBucketNs = 10 * 1_000_000
	availBeforeNs = 100 * 1_000_000
	availBuckets  = 50 // -100ms .. +400ms
)

// availability counts, per bucket of invoke time relative to the start of
// a run's first partition, the operations invoked and those answered (ok,
// or a cas's compare failed). Invoke time, not completion time: an
// operation that waits out the partition and then fails belongs to the
// moment a user asked.
type availability struct {
	Ops, Answered [availBuckets]int
	// LatencyNs sums the answered operations' latencies: a partition the
	// clients retry around costs time, not answers.
	LatencyNs [availBuckets]int64
	// Runs is the number of runs with a partition; PartitionNs the sum of
	// their first partitions' lengths (the shaded interval is the mean).
	Runs        int
	PartitionNs int64
}

func (a *availability) add(b *availability) {
	for i := range a.Ops {
		a.Ops[i] += b.Ops[i]
		a.Answered[i] += b.Answered[i]
		a.LatencyNs[i] += b.LatencyNs[i]
	}
	a.Runs += b.Runs
	a.PartitionNs += b.PartitionNs
}

// runFigures is what compare keeps of one run: enough to add up, not the
// history, so that memory stays flat however many seeds run.
type runFigures struct {
	group    int
	seed     uint64
	verdict  checker.Verdict
	figures  sweep.ByOp
	outcomes [3]outcomeCounts // by model.Kind
	avail    availability
	// retries and hedges are the run's extra attempts and hedged copies.
	retries, hedges int
}

// figuresOf reduces one run's outcome.
func figuresOf(group int, o *sweep.Outcome) runFigures {
	res := o.Result
	rf := runFigures{group: group, seed: o.Seed, verdict: o.Verdict, figures: o.Figures,
		retries: res.Stats.Retries, hedges: res.Stats.Hedges}
	var start, end int64 = -1, 0
	for _, f := range res.Schedule {
		if slices.Contains(sim.AllPartitionKinds(), f.Kind) {
			start, end = f.StartNs, f.EndNs
			break // the schedule is sorted by start
		}
	}
	if start >= 0 {
		rf.avail.Runs, rf.avail.PartitionNs = 1, end-start
	}
	invokes := map[int]int64{} // process → invoke time of its open operation
	for _, e := range res.History {
		if e.Type == history.Invoke {
			invokes[e.Process] = e.TimeNs
			continue
		}
		answered := false
		oc := &rf.outcomes[e.F]
		switch {
		case e.Type == history.Ok:
			oc.OK++
			answered = true
		case e.Type == history.Fail && e.Error == "" && e.F == model.Cas:
			oc.CompareFailed++
			answered = true
		case e.Type == history.Fail:
			oc.Failed++
		default:
			oc.Info++
		}
		if start < 0 {
			continue
		}
		if b := (invokes[e.Process] - start + availBeforeNs) / availBucketNs; b >= 0 && b < availBuckets {
			rf.avail.Ops[b]++
			if answered {
				rf.avail.Answered[b]++
				rf.avail.LatencyNs[b] += e.TimeNs - invokes[e.Process]
			}
		}
	}
	return rf
}

// compareGroup adds up the runs of one contender under one scenario.
type compareGroup struct {
	scenario compareScenario
	config   compareConfig
	seeds    int
	// violations, stuck and unknown list seeds by verdict, sorted.
	violations, stuck, unknown []uint64
	figures                    sweep.ByOp
	outcomes                   [3]outcomeCounts
	avail                      availability
	ops, retries, hedges       int
}

func (g *compareGroup) add(rf *runFigures) {
	g.seeds++
	switch rf.verdict {
	case checker.Illegal:
		g.violations = append(g.violations, rf.seed)
	case sweep.Stuck:
		g.stuck = append(g.stuck, rf.seed)
	case checker.Unknown:
		g.unknown = append(g.unknown, rf.seed)
	}
	g.figures.Merge(&rf.figures)
	for k := range g.outcomes {
		g.outcomes[k].add(rf.outcomes[k])
	}
	g.avail.add(&rf.avail)
	for _, oc := range rf.outcomes {
		g.ops += oc.OK + oc.CompareFailed + oc.Failed + oc.Info
	}
	g.retries += rf.retries
	g.hedges += rf.hedges
}

// finish sorts the seed lists: workers finish runs in any order, and the
// output must not depend on it.
func (g *compareGroup) finish() {
	slices.Sort(g.violations)
	slices.Sort(g.stuck)
	slices.Sort(g.unknown)
}
