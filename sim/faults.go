package sim

import (
	"cmp"
	"slices"
)

// FaultKind names a scheduled fault.
type FaultKind string

// PartitionKind is the subset of fault kinds that cut network links.
type PartitionKind = FaultKind

const (
	// Isolate cuts one replica (Nodes[0]) off from every other endpoint,
	// clients too.
	Isolate FaultKind = "isolate"
	// Split cuts a minority of replicas (Nodes) off from the majority;
	// clients still reach both sides.
	Split FaultKind = "split"
	// Asymmetric drops every message from Nodes to Peers, in that
	// direction only.
	Asymmetric FaultKind = "asymmetric"
	// Bridge splits the replicas into Nodes and Peers, which cannot talk to
	// each other; the replicas in neither (the bridge) see both halves.
	Bridge FaultKind = "bridge"
	// ClientCut cuts Clients off from the replicas in Peers.
	ClientCut FaultKind = "client-cut"

	// Crash stops Nodes, losing everything not yet durable; at EndNs they
	// restart from durable storage. With AfterSync, the crash waits for
	// the node's next sync to complete and strikes before its messages
	// leave.
	Crash FaultKind = "crash"
	// Pause stops Nodes from handling messages and timers until EndNs; what
	// arrives meanwhile waits. Their clocks keep running.
	Pause FaultKind = "pause"
	// Slow multiplies the delay of every message to or from Nodes by
	// Factor (a gray failure).
	Slow FaultKind = "slow"
	// ClockStep moves the clocks of Nodes and Clients by StepNs at
	// StartNs.
	ClockStep FaultKind = "clock-step"
	// ClientCrash kills the client process of Clients[0] at StartNs: its
	// operations in flight end indeterminate and are never retried (their
	// requests may still be in the network). At EndNs it starts again as
	// new processes and runs the rest of its operations.
	ClientCrash FaultKind = "client-crash"
)

// AllPartitionKinds lists every partition shape.
func AllPartitionKinds() []PartitionKind {
	return []PartitionKind{Isolate, Split, Asymmetric, Bridge, ClientCut}
}

// Fault is one entry of a run's fault schedule: Kind acts from StartNs
// until EndNs on the endpoints named.
type Fault struct {
	Kind      FaultKind `json:"kind"`
	StartNs   int64     `json:"start_ns"`
	EndNs     int64     `json:"end_ns"`
	Nodes     []int     `json:"nodes,omitempty"`
	Peers     []int     `json:"peers,omitempty"`
	Clients   []int     `json:"clients,omitempty"`
	Factor    float64   `json:"factor,omitempty"`
	StepNs    int64     `json:"step_ns,omitempty"`
	AfterSync bool      `json:"after_sync,omitempty"`
	// Zone and region faults (topology_faults.go): regions and zones by
	// index into the scenario's topology.
	Regions     []int `json:"regions,omitempty"`
	PeerRegions []int `json:"peer_regions,omitempty"`
	Zones       []int `json:"zones,omitempty"`
	OneWay      bool  `json:"one_way,omitempty"`
}

// drawSchedule draws the fault schedule of a run from its own stream, so
// that the schedule depends only on the seed and the fault settings.
func drawSchedule(c Config) []Fault {
	r := derive(c.Seed, streamFaults, 0)
	f := c.Faults
	R := c.Replicas
	var sched []Fault
	at := func(lo, hi int64) (int64, int64) {
		start := between(r, 0, f.WindowNs)
		return start, start + between(r, lo, hi)
	}
	if R > 1 && len(f.PartitionKinds) > 0 {
		for range r.IntN(f.Partitions + 1) {
			kind := f.PartitionKinds[r.IntN(len(f.PartitionKinds))]
			if kind == Bridge && R < 3 {
				kind = Isolate
			}
			p := Fault{Kind: kind}
			p.StartNs, p.EndNs = at(f.PartitionMinNs, f.PartitionMaxNs)
			perm := r.Perm(R)
			switch kind {
			case Isolate:
				p.Nodes = perm[:1]
				if len(f.IsolateNodes) > 0 {
					// Aimed: an extra draw only when aimed, so that unaimed
					// schedules stay as they were.
					p.Nodes = []int{f.IsolateNodes[r.IntN(len(f.IsolateNodes))]}
				}
			case Split:
				p.Nodes = perm[:max(1, (R-1)/2)]
			case Asymmetric:
				p.Nodes, p.Peers = perm[:1], perm[1:1+1+r.IntN(R-1)]
			case Bridge:
				half := 1 + r.IntN(R-2)
				p.Nodes, p.Peers = perm[1:1+half], perm[1+half:]
			case ClientCut:
				p.Clients = []int{r.IntN(c.Clients)}
				p.Peers = perm[:1+r.IntN(R-1)]
			}
			sched = append(sched, p.sorted())
		}
	}
	for range r.IntN(f.Crashes + 1) {
		n := r.IntN(R)
		if len(f.CrashNodes) > 0 {
			n = f.CrashNodes[n%len(f.CrashNodes)] // the same draw, aimed
		}
		p := Fault{Kind: Crash, Nodes: []int{n}, AfterSync: r.Float64() < f.CrashAfterSyncRatio}
		p.StartNs, p.EndNs = at(f.DownMinNs, f.DownMaxNs)
		sched = append(sched, p)
	}
	for range r.IntN(f.Pauses + 1) {
		p := Fault{Kind: Pause, Nodes: []int{r.IntN(R)}}
		p.StartNs, p.EndNs = at(f.PauseMinNs, f.PauseMaxNs)
		sched = append(sched, p)
	}
	for range r.IntN(f.SlowNodes + 1) {
		p := Fault{Kind: Slow, Nodes: []int{r.IntN(R)}, Factor: f.SlowFactor}
		p.StartNs, p.EndNs = at(f.SlowMinNs, f.SlowMaxNs)
		sched = append(sched, p)
	}
	for range r.IntN(f.ClockSteps + 1) {
		p := Fault{Kind: ClockStep, StepNs: between(r, -f.ClockStepMaxNs, f.ClockStepMaxNs)}
		if n := r.IntN(R + c.Clients); n < R {
			p.Nodes = []int{n}
		} else {
			p.Clients = []int{n - R}
		}
		p.StartNs, p.EndNs = at(0, 0)
		sched = append(sched, p)
	}
	sched = append(sched, drawTopologyFaults(c, r, at)...)
	// Drawn last, so that configurations without client crashes keep the
	// schedules they had before client crashes existed.
	for range r.IntN(f.ClientCrashes + 1) {
		p := Fault{Kind: ClientCrash, Clients: []int{r.IntN(c.Clients)}}
		p.StartNs, p.EndNs = at(f.ClientDownNs, f.ClientDownNs)
		sched = append(sched, p)
	}
	slices.SortStableFunc(sched, func(a, b Fault) int { return cmp.Compare(a.StartNs, b.StartNs) })
	return sched
}

func (f Fault) sorted() Fault {
	slices.Sort(f.Nodes)
	slices.Sort(f.Peers)
	slices.Sort(f.Clients)
	return f
}

// healNs is when the faults are over and the liveness phase begins: the
// end of the fault window (message loss, duplication and reordering go on
// until then) or of the last scheduled fault, whichever is later.
func healNs(c Config, sched []Fault) int64 {
	h := c.Faults.WindowNs
	for _, f := range sched {
		h = max(h, f.EndNs)
	}
	return h
}
