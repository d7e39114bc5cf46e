package compare

import (
	"slices"
	"strings"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// OutcomeCounts split one operation type's operations by how they ended.
// A cas whose compare failed was answered: for an operator it counts as
// available, like an ok.
type OutcomeCounts struct {
	OK            int // ok
	CompareFailed int // a cas answered "compare failed"
	Failed        int // did not take effect (an error, or a resolving read's "not applied")
	Info          int // indeterminate
	// InTime counts the operations answered (ok, compare failed, or a
	// definite failure) within the client's deadline: the numerator of
	// sim.Stats.Availability.
	InTime int
}

func (c *OutcomeCounts) add(d OutcomeCounts) {
	c.OK += d.OK
	c.CompareFailed += d.CompareFailed
	c.Failed += d.Failed
	c.Info += d.Info
	c.InTime += d.InTime
}

// The Availability chart's time axis: buckets of invoke time relative to
// the start of a run's first partition.
const (
	AvailBucketNs = 10 * 1_000_000
	AvailBeforeNs = 100 * 1_000_000
	AvailBuckets  = 50 // -100ms .. +400ms
)

// Availability counts, per bucket of invoke time relative to the start of
// a run's first partition, the operations invoked and those answered (ok,
// or a cas's compare failed). Invoke time, not completion time: an
// operation that waits out the partition and then fails belongs to the
// moment a user asked.
type Availability struct {
	Ops, Answered [AvailBuckets]int
	// LatencyNs sums the answered operations' latencies: a partition the
	// clients retry around costs time, not answers.
	LatencyNs [AvailBuckets]int64
	// Runs is the number of runs with a partition; PartitionNs the sum of
	// their first partitions' lengths (the shaded interval is the mean).
	Runs        int
	PartitionNs int64
}

func (a *Availability) add(b *Availability) {
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
	outcomes [3]OutcomeCounts // by model.Kind
	avail    Availability
	// retries and hedges are the run's extra attempts and hedged copies.
	retries, hedges int
	maxStallNs      int64
	load            loadFigures
	regions         []RegionFigures
}

// RegionFigures are the latencies of the operations whose client runs in
// one region (with a topology): how far the client is from a quorum.
type RegionFigures struct {
	Region string
	// Latency holds, by model.Kind, the latencies of the operations that
	// completed ok.
	Latency [3]sweep.Histogram `json:"-"`
	// Ops and Messages count, by model.Kind, the operations and the
	// messages sent on their behalf; Paths counts those answered on their
	// first attempt by round trips between replicas (sweep.OpFigures).
	Ops      [3]int
	Messages [3]int64
	Paths    [3]map[int]int
}

// MessagesPerOp is the messages sent per operation of kind k.
func (r *RegionFigures) MessagesPerOp(k model.Kind) float64 {
	if r.Ops[k] == 0 {
		return 0
	}
	return float64(r.Messages[k]) / float64(r.Ops[k])
}

// RoundTrips is the usual round trips between replicas of an operation
// of kind k answered on its first attempt (the mode), -1 if none was.
func (r *RegionFigures) RoundTrips(k model.Kind) int { return sim.Mode(r.Paths[k]) }

// addOps adds s's operation counts, messages and paths to r.
func (r *RegionFigures) addOps(s *RegionFigures) {
	for k := range r.Ops {
		r.Ops[k] += s.Ops[k]
		r.Messages[k] += s.Messages[k]
		for rt, n := range s.Paths[k] {
			r.addPath(model.Kind(k), rt, n)
		}
	}
}

func (r *RegionFigures) addPath(k model.Kind, rt, n int) {
	if r.Paths[k] == nil {
		r.Paths[k] = map[int]int{}
	}
	r.Paths[k][rt] += n
}

// regionOf returns rs's entry for region, adding it (in order of first
// appearance) if it has none.
func regionOf(rs *[]RegionFigures, region string) *RegionFigures {
	for i := range *rs {
		if (*rs)[i].Region == region {
			return &(*rs)[i]
		}
	}
	*rs = append(*rs, RegionFigures{Region: region})
	return &(*rs)[len(*rs)-1]
}

// figuresOf reduces one run's outcome.
func figuresOf(group int, o *sweep.Outcome) runFigures {
	res := o.Result
	rf := runFigures{group: group, seed: o.Seed, verdict: o.Verdict, figures: o.Figures,
		retries: res.Stats.Retries, hedges: res.Stats.Hedges, maxStallNs: res.Stats.MaxStallNs, load: loadOf(o)}
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
	invokes := map[int]int64{}   // process → invoke time of its open operation
	regionAt := map[int]string{} // history index of an invoke → its client's region
	if res.Config.Topology != nil {
		for i, h := range res.OpInvokes {
			op := &res.Ops[i]
			region := res.Config.ClientRegion(op.Client)
			regionAt[h] = region
			r, k := regionOf(&rf.regions, region), op.Input.Kind
			r.Ops[k]++
			r.Messages[k] += int64(op.Messages)
			if op.RoundTrips >= 0 {
				r.addPath(k, op.RoundTrips, 1)
			}
		}
	}
	open := map[int]string{} // process → region of its open operation
	for i, e := range res.History {
		if e.Type == history.Invoke {
			invokes[e.Process] = e.TimeNs
			open[e.Process] = regionAt[i]
			continue
		}
		if r := open[e.Process]; r != "" && e.Type == history.Ok {
			regionOf(&rf.regions, r).Latency[e.F].Add(e.TimeNs - invokes[e.Process])
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
		if e.Type != history.Info && e.TimeNs-invokes[e.Process] <= res.Config.Client.DeadlineNs {
			oc.InTime++
		}
		if start < 0 {
			continue
		}
		if b := (invokes[e.Process] - start + AvailBeforeNs) / AvailBucketNs; b >= 0 && b < AvailBuckets {
			rf.avail.Ops[b]++
			if answered {
				rf.avail.Answered[b]++
				rf.avail.LatencyNs[b] += e.TimeNs - invokes[e.Process]
			}
		}
	}
	return rf
}

// Group adds up the runs of one contender under one scenario.
type Group struct {
	Scenario  Scenario
	Contender Contender
	Seeds     int
	// Violations, Stuck and Unknown list seeds by verdict, sorted.
	Violations, Stuck, Unknown []uint64
	Figures                    sweep.ByOp
	Outcomes                   [3]OutcomeCounts // by model.Kind
	Avail                      Availability
	// Ops, Retries and Hedges count operations, extra attempts and
	// hedged copies over every run.
	Ops, Retries, Hedges int
	// MaxStallNs is the longest stall of any run (sim.Stats.MaxStallNs).
	MaxStallNs int64
	// Load adds up the figures of the load table (load.go); Clients is
	// the runs' number of clients.
	Load    loadFigures `json:"-"`
	Clients int         `json:"-"`
	// Regions has the latencies by client region, with a topology.
	Regions []RegionFigures `json:"-"`
}

func (g *Group) add(rf *runFigures) {
	g.Seeds++
	switch rf.verdict {
	case checker.Illegal:
		g.Violations = append(g.Violations, rf.seed)
	case sweep.Stuck:
		g.Stuck = append(g.Stuck, rf.seed)
	case checker.Unknown:
		g.Unknown = append(g.Unknown, rf.seed)
	}
	g.Figures.Merge(&rf.figures)
	for k := range g.Outcomes {
		g.Outcomes[k].add(rf.outcomes[k])
	}
	g.Avail.add(&rf.avail)
	for _, oc := range rf.outcomes {
		g.Ops += oc.OK + oc.CompareFailed + oc.Failed + oc.Info
	}
	g.Retries += rf.retries
	g.Hedges += rf.hedges
	g.MaxStallNs = max(g.MaxStallNs, rf.maxStallNs)
	g.Load.add(rf.load)
	for i := range rf.regions {
		r := regionOf(&g.Regions, rf.regions[i].Region)
		for k := range r.Latency {
			r.Latency[k].Merge(&rf.regions[i].Latency[k])
		}
		r.addOps(&rf.regions[i])
	}
}

// finish sorts the seed lists: workers finish runs in any order, and the
// output must not depend on it.
func (g *Group) finish() {
	slices.Sort(g.Violations)
	slices.Sort(g.Stuck)
	slices.Sort(g.Unknown)
	slices.SortFunc(g.Regions, func(a, b RegionFigures) int { return strings.Compare(a.Region, b.Region) })
}
