package sim

import (
	"slices"
)

// FaultKind names a scheduled fault.
type FaultKind string

const (
	// Isolate cuts one replica off from every other endpoint, clients too.
	Isolate FaultKind = "isolate"
	// Split cuts a minority of replicas off from the majority; clients
	// still reach both sides.
	Split FaultKind = "split"
	// Crash stops a replica, losing everything it did not persist; at the
	// end it restarts from its durable storage.
	Crash FaultKind = "crash"
)

// Fault is one entry of a run's fault schedule: Kind acts on Nodes from
// StartNs until EndNs.
type Fault struct {
	Kind    FaultKind `json:"kind"`
	StartNs int64     `json:"start_ns"`
	EndNs   int64     `json:"end_ns"`
	Nodes   []int     `json:"nodes"`
}

// drawSchedule draws the fault schedule of a run from its own stream, so
// that the schedule depends only on the seed and the fault settings.
func drawSchedule(c Config) []Fault {
	r := derive(c.Seed, streamFaults, 0)
	f := c.Faults
	var sched []Fault
	if c.Replicas > 1 {
		for range r.IntN(f.Partitions + 1) {
			start := between(r, 0, f.WindowNs)
			p := Fault{StartNs: start, EndNs: start + between(r, f.PartitionMinNs, f.PartitionMaxNs)}
			if c.Replicas < 5 || r.IntN(2) == 0 {
				p.Kind, p.Nodes = Isolate, []int{r.IntN(c.Replicas)}
			} else {
				p.Kind = Split
				perm := r.Perm(c.Replicas)
				p.Nodes = perm[:(c.Replicas-1)/2]
				slices.Sort(p.Nodes)
			}
			sched = append(sched, p)
		}
	}
	for range r.IntN(f.Crashes + 1) {
		start := between(r, 0, f.WindowNs)
		sched = append(sched, Fault{Kind: Crash, StartNs: start,
			EndNs: start + between(r, f.DownMinNs, f.DownMaxNs), Nodes: []int{r.IntN(c.Replicas)}})
	}
	slices.SortStableFunc(sched, func(a, b Fault) int {
		switch {
		case a.StartNs < b.StartNs:
			return -1
		case a.StartNs > b.StartNs:
			return 1
		}
		return 0
	})
	return sched
}
