package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/casimlab/casim/compare"
	"github.com/casimlab/casim/model"
)

// WriteComparisonText prints `casim compare`'s tables: one per scenario,
// a row per contender and operation type (latencies of the operations
// answered ok, messages and round trips per operation, the shares ok,
// failed and indeterminate, availability, the longest stall, retries and
// hedges per operation, and the violating seeds), then the load table of
// --loads.
func WriteComparisonText(w io.Writer, c *compare.Comparison) {
	writeComparisonTables(w, c)
	writeRegionTables(w, c)
	writeLoadTable(w, c)
}

// writeRegionTables prints, with a topology, each contender's latencies,
// messages and round trips per operation by the region its clients run
// in.
func writeRegionTables(w io.Writer, c *compare.Comparison) {
	for _, g := range c.Groups {
		if len(g.Regions) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s, scenario %s, by client region:\n", g.Contender.Label, g.Scenario.Name)
		fmt.Fprintf(w, "%-12s %-5s %8s %9s %9s %8s %3s\n", "region", "op", "ok", "p50", "p99", "msgs/op", "rt")
		for _, r := range g.Regions {
			for k := range r.Latency {
				h := &r.Latency[k]
				if h.N() == 0 {
					continue
				}
				rt := "-"
				if n := r.RoundTrips(model.Kind(k)); n >= 0 {
					rt = strconv.Itoa(n)
				}
				fmt.Fprintf(w, "%-12s %-5s %8d %9s %9s %8.1f %3s\n", r.Region, model.Kind(k), h.N(),
					Latency(h.Quantile(0.5)), Latency(h.Quantile(0.99)), r.MessagesPerOp(model.Kind(k)), rt)
			}
		}
	}
}

func writeComparisonTables(w io.Writer, c *compare.Comparison) {
	rows := c.Rows()
	width := len("protocol")
	for _, r := range rows {
		width = max(width, len(r.Protocol))
	}
	for i, sc := range c.Scenarios {
		if i > 0 {
			fmt.Fprintln(w)
		}
		spec := sc.Spec
		if spec == "" {
			spec = "(default fault mix)"
		}
		fmt.Fprintf(w, "scenario %s: %d seeds from %d, --faults %s\n", sc.Name, c.Seeds, c.Start, spec)
		fmt.Fprintf(w, "%-*s  %-5s %9s %9s %9s %8s %3s %6s %6s %6s %6s %9s %6s %6s  %s\n", width, "protocol", "op",
			"p50", "p99", "p99.9", "msgs/op", "rt", "ok", "failed", "indet", "avail", "stall", "retry", "hedge", "violations")
		for _, r := range rows {
			if r.Scenario != sc.Name {
				continue
			}
			rt := "-"
			if r.RoundTrips >= 0 {
				rt = strconv.Itoa(r.RoundTrips)
			}
			fmt.Fprintf(w, "%-*s  %-5s %9s %9s %9s %8.1f %3s %6s %6s %6s %6s %9s %6.2f %6.2f  %s\n", width, r.Protocol, r.Op,
				Latency(r.P50Ns), Latency(r.P99Ns), Latency(r.P999Ns), r.MessagesPerOp, rt,
				Percent(r.OKShare), Percent(r.FailedShare), Percent(r.InfoShare),
				Percent(r.Availability), Latency(r.MaxStallNs), r.RetriesPerOp, r.HedgesPerOp,
				violationText(r))
		}
	}
}

// violationText is "0" or the count with the first failing seeds, each
// replayable with casim run.
func violationText(r compare.Row) string {
	s := fmt.Sprintf("%d/%d", r.Violations, r.Seeds)
	if len(r.ViolatingSeeds) > 0 {
		seeds := r.ViolatingSeeds[:min(len(r.ViolatingSeeds), 5)]
		parts := make([]string, len(seeds))
		for i, x := range seeds {
			parts[i] = strconv.FormatUint(x, 10)
		}
		more := ""
		if len(r.ViolatingSeeds) > len(seeds) {
			more = " ..."
		}
		s += " (seeds " + strings.Join(parts, " ") + more + ")"
	}
	if r.Stuck > 0 {
		s += fmt.Sprintf(", %d stuck", r.Stuck)
	}
	if r.UnknownVerdicts > 0 {
		s += fmt.Sprintf(", %d unknown", r.UnknownVerdicts)
	}
	return s
}

// writeLoadTable prints, after compare's tables, the load table of `casim
// compare --loads`: per scenario and contender the load offered, the
// goodput, availability as a share and as nines, p99 and p99.9 of every
// operation answered ok, messages per operation, requests shed, reads
// degraded and their largest staleness, and the recovery after a surge.
// Nothing without --loads.
func writeLoadTable(w io.Writer, c *compare.Comparison) {
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
			offered, goodput, Percent(r.Goodput), Percent(r.Availability), r.Nines,
			Latency(r.P99Ns), Latency(r.P999Ns), r.Amplification, r.Shed, r.Degraded,
			Latency(r.MaxStalenessNs), Latency(r.RecoveryNs))
	}
}
