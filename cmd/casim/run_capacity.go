package main

import (
	"fmt"
	"io"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// printCapacity adds `casim run`'s load line: goodput, requests shed,
// messages per operation and degraded reads, when a capacity setting is
// on or a read was degraded; default runs print as they did.
func printCapacity(w io.Writer, o *sweep.Outcome) {
	if o.Result.Config.Capacity == (sim.Capacity{}) && o.Degraded == 0 {
		return
	}
	fmt.Fprintf(w, "load     goodput %.1f%% (answered with their result in time), %d shed, %.1f messages per op, %d degraded reads (largest staleness %s)\n",
		100*o.Goodput, o.Shed, o.Amplification, o.Degraded, dur(o.MaxStalenessNs))
}
