package main

import (
	"fmt"
	"io"

	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sweep"
)

func printFigures(w io.Writer, figs []sweep.OpFigures) {
	fmt.Fprintf(w, "%-6s %7s %7s %9s %11s %10s %10s\n", "op", "count", "ok", "msgs/op", "round trips", "p50", "p99")
	for _, o := range figs {
		rt := "-"
		if o.RoundTrips >= 0 {
			rt = fmt.Sprint(o.RoundTrips)
		}
		fmt.Fprintf(w, "%-6s %7d %7d %9.1f %11s %10s %10s\n", o.Op, o.Count, o.OK, o.MessagesPerOp, rt,
			report.Latency(o.P50Ns), report.Latency(o.P99Ns))
	}
}
