package main

import (
	"fmt"
	"io"

	"github.com/casimlab/casim/compare"
	"github.com/casimlab/casim/report"
)

// printLoad prints, after compare's tables, the load table of `casim
// compare --loads`: per scenario and contender the load offered, the
// goodput, availability as a share and as nines, p99 and p99.9 of every
// operation answered ok, messages per operation, requests shed, reads
// degraded and their largest staleness, and the recovery after a surge.
// Nothing without --loads.
func printLoad(w io.Writer, c *compare.Comparison) {
	rows := c.LoadRows()
	if len(rows) == 0 {
		return
	}
	width := len("protocol")
	for _, r := range rows {
		width = max(width, len(r.Protocol))
	}
	scenario := ""
	for _, r := range rows {
		if r.Scenario != scenario {
			scenario = r.Scenario
			fmt.Fprintf(w, "\nunder load, scenario %s (offered and goodput in ops/s, all clients)\n", scenario)
			fmt.Fprintf(w, "%-*s  %9s %9s %7s %6s %5s %9s %9s %8s %6s %8s %9s %9s\n", width, "protocol",
				"offered", "goodput", "good", "avail", "nines", "p99", "p99.9", "msgs/op", "shed", "degraded", "staleness", "recovery")
		}
		offered, goodput := "-", "-" // a closed loop offers no set rate
		if r.OfferedPerSec > 0 {
			offered, goodput = fmt.Sprintf("%.0f", r.OfferedPerSec), fmt.Sprintf("%.1f", r.GoodputPerSec)
		}
		fmt.Fprintf(w, "%-*s  %9s %9s %7s %6s %5.1f %9s %9s %8.1f %6d %8d %9s %9s\n", width, r.Protocol,
			offered, goodput, report.Percent(r.Goodput), report.Percent(r.Availability), r.Nines,
			report.Latency(r.P99Ns), report.Latency(r.P999Ns), r.Amplification, r.Shed, r.Degraded,
			report.Latency(r.MaxStalenessNs), report.Latency(r.RecoveryNs))
	}
}
