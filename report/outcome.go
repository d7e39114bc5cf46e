package report

import (
	"fmt"
	"io"
	"time"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// WriteOutcome prints what `casim run` prints after the run's header
// (WriteConfig): the fault schedule, the verdict and checker, counts,
// availability, the load line, timing, the trace hash and the figures per
// operation type.
func WriteOutcome(w io.Writer, o *sweep.Outcome) {
	for _, f := range o.Result.Schedule {
		fmt.Fprintf(w, "fault    %-10s %s to %s  %s\n", f.Kind, dur(f.StartNs), dur(f.EndNs), f.Describe())
	}
	fmt.Fprintf(w, "\nverdict  %s", o.Verdict)
	if o.Key != "" {
		fmt.Fprintf(w, " (key %s)", o.Key)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "checker  %s\n", o.Check.AlgorithmSummary())
	fmt.Fprintf(w, "ops      %d (ok %d, fail %d, info %d)\n", o.Ops, o.OK, o.Fail, o.Info)
	fmt.Fprintf(w, "messages %d\nevents   %d\n", o.Messages, o.Events)
	fmt.Fprintf(w, "avail    %.1f%% answered within their deadline, longest stall %s\n", 100*o.Availability, dur(o.MaxStallNs))
	writeLoadLine(w, o)
	fmt.Fprintf(w, "time     %s simulated, %s wall (check %s), %.2fM events/s\n",
		dur(o.SimNs), time.Duration(o.WallNs).Round(time.Microsecond), time.Duration(o.CheckNs).Round(time.Microsecond),
		float64(o.Events)/time.Duration(o.WallNs).Seconds()/1e6)
	fmt.Fprintf(w, "trace    %s\n\n", o.TraceHash)
	WriteFigures(w, o.ByOp)
	if o.Stuck != "" {
		fmt.Fprintf(w, "stuck    %s\n", o.Stuck)
	}
}

// writeLoadLine adds `casim run`'s load line: goodput, requests shed,
// messages per operation and degraded reads, when a capacity setting is
// on or a read was degraded; default runs print as they did.
func writeLoadLine(w io.Writer, o *sweep.Outcome) {
	if o.Result.Config.Capacity == (sim.Capacity{}) && o.Degraded == 0 {
		return
	}
	fmt.Fprintf(w, "load     goodput %.1f%% (answered with their result in time), %d shed, %.1f messages per op, %d degraded reads (largest staleness %s)\n",
		100*o.Goodput, o.Shed, o.Amplification, o.Degraded, dur(o.MaxStalenessNs))
}

// WriteFigures prints the table per operation type of `casim run` and
// `casim sweep`: count, ok, messages per operation, round trips, p50 and
// p99 of the operations answered ok.
func WriteFigures(w io.Writer, figs []sweep.OpFigures) {
	fmt.Fprintf(w, "%-6s %7s %7s %9s %11s %10s %10s\n", "op", "count", "ok", "msgs/op", "round trips", "p50", "p99")
	for _, o := range figs {
		rt := "-"
		if o.RoundTrips >= 0 {
			rt = fmt.Sprint(o.RoundTrips)
		}
		fmt.Fprintf(w, "%-6s %7d %7d %9.1f %11s %10s %10s\n", o.Op, o.Count, o.OK, o.MessagesPerOp, rt,
			Latency(o.P50Ns), Latency(o.P99Ns))
	}
}
