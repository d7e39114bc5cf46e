package sweep

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
)

// OpFigures are one operation type's figures over one or many runs.
type OpFigures struct {
	Op            string  `json:"op"`
	Count         int     `json:"count"`
	OK            int     `json:"ok"`
	MessagesPerOp float64 `json:"messages_per_op"`
	// RoundTrips between replicas in the uncontended case: the most common
	// path of operations answered on their first attempt (-1: none).
	RoundTrips int   `json:"round_trips"`
	P50Ns      int64 `json:"p50_ns"`
	P99Ns      int64 `json:"p99_ns"`
	P999Ns     int64 `json:"p999_ns"`

	// Latency holds the ok operations' simulated latencies.
	Latency Histogram `json:"-"`
	// Paths counts operations answered on their first attempt by the
	// round trips they took.
	Paths    map[int]int `json:"-"`
	messages int64
}

// ByOp accumulates figures per operation type, indexed by model.Kind.
type ByOp [3]OpFigures

// Add adds one run's statistics.
func (f *ByOp) Add(st sim.Stats) {
	for k, ks := range st.Kinds {
		o := &f[k]
		o.Op = model.Kind(k).String()
		o.Count += ks.Count
		o.OK += ks.OK
		o.messages += ks.Messages
		o.addPaths(ks.RoundTrips)
		for _, ns := range ks.LatenciesNs {
			o.Latency.Add(ns)
		}
	}
}

// Merge adds g's figures to f.
func (f *ByOp) Merge(g *ByOp) {
	for k := range f {
		o, p := &f[k], &g[k]
		if p.Count == 0 {
			continue
		}
		o.Op = p.Op
		o.addPaths(p.Paths)
		o.Count += p.Count
		o.OK += p.OK
		o.messages += p.messages
		o.Latency.Merge(&p.Latency)
	}
}

// Final fills in the derived fields and returns the types that occurred.
func (f *ByOp) Final() []OpFigures {
	var out []OpFigures
	for _, o := range f {
		if o.Count == 0 {
			continue
		}
		o.MessagesPerOp = float64(o.messages) / float64(o.Count)
		o.RoundTrips = sim.Mode(o.Paths)
		o.P50Ns, o.P99Ns, o.P999Ns = o.Latency.Quantile(0.5), o.Latency.Quantile(0.99), o.Latency.Quantile(0.999)
		out = append(out, o)
	}
	return out
}

func (o *OpFigures) addPaths(counts map[int]int) {
	if o.Paths == nil {
		o.Paths = map[int]int{}
	}
	for rt, n := range counts {
		o.Paths[rt] += n
	}
}
