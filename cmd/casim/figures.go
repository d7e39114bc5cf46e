package main

import (
	"fmt"
	"io"
	"time"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
)

// opFigures are one operation type's figures over one or many runs.
type opFigures struct {
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

	messages int64
	paths    map[int]int // round trips → operations
	latency  histogram
}

// byOp accumulates figures per operation type.
type byOp [3]opFigures

func (f *byOp) add(st sim.Stats) {
	for k, ks := range st.Kinds {
		o := &f[k]
		o.Op = model.Kind(k).String()
		o.Count += ks.Count
		o.OK += ks.OK
		o.messages += ks.Messages
		o.addPaths(ks.RoundTrips)
		for _, ns := range ks.LatenciesNs {
			o.latency.add(ns)
		}
	}
}

func (f *byOp) merge(g *byOp) {
	for k := range f {
		o, p := &f[k], &g[k]
		if p.Count == 0 {
			continue
		}
		o.Op = p.Op
		o.addPaths(p.paths)
		o.Count += p.Count
		o.OK += p.OK
		o.messages += p.messages
		o.latency.merge(&p.latency)
	}
}

// final fills in the derived fields and returns the types that occurred.
func (f *byOp) final() []opFigures {
	var out []opFigures
	for _, o := range f {
		if o.Count == 0 {
			continue
		}
		o.MessagesPerOp = float64(o.messages) / float64(o.Count)
		o.RoundTrips = sim.Mode(o.paths)
		o.P50Ns, o.P99Ns, o.P999Ns = o.latency.quantile(0.5), o.latency.quantile(0.99), o.latency.quantile(0.999)
		out = append(out, o)
	}
	return out
}

func printFigures(w io.Writer, figs []opFigures) {
	fmt.Fprintf(w, "%-6s %7s %7s %9s %11s %10s %10s\n", "op", "count", "ok", "msgs/op", "round trips", "p50", "p99")
	for _, o := range figs {
		rt := "-"
		if o.RoundTrips >= 0 {
			rt = fmt.Sprint(o.RoundTrips)
		}
		fmt.Fprintf(w, "%-6s %7d %7d %9.1f %11s %10s %10s\n", o.Op, o.Count, o.OK, o.MessagesPerOp, rt,
			latencyText(o.P50Ns), latencyText(o.P99Ns))
	}
}

func latencyText(ns int64) string {
	if ns < 0 {
		return "-"
	}
	return time.Duration(ns).Round(10 * time.Microsecond).String()
}

func (o *opFigures) addPaths(counts map[int]int) {
	if o.paths == nil {
		o.paths = map[int]int{}
	}
	for rt, n := range counts {
		o.paths[rt] += n
	}
}
