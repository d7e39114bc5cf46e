package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/casimlab/casim/model"
)

// compareRow is one line of the comparison: a contender's figures for one
// operation type under one scenario. Latencies are of the operations
// answered ok, in simulated nanoseconds (-1: none). Violations and the
// seed lists are per contender and scenario, repeated on each of its rows
// so that every row stands alone in CSV.
type compareRow struct {
	Scenario        string   `json:"scenario"`
	Protocol        string   `json:"protocol"`
	Op              string   `json:"op"`
	Ops             int      `json:"ops"`
	P50Ns           int64    `json:"p50_ns"`
	P99Ns           int64    `json:"p99_ns"`
	P999Ns          int64    `json:"p999_ns"`
	MessagesPerOp   float64  `json:"messages_per_op"`
	RoundTrips      int      `json:"round_trips"`
	OKShare         float64  `json:"ok_share"`
	CompareFailed   float64  `json:"compare_failed_share"` // part of ok_share
	FailedShare     float64  `json:"failed_share"`
	InfoShare       float64  `json:"indeterminate_share"`
	RetriesPerOp    float64  `json:"retries_per_op"` // of the contender, all types
	HedgesPerOp     float64  `json:"hedges_per_op"`  // of the contender, all types
	Seeds           int      `json:"seeds"`
	Violations      int      `json:"violations"`
	ViolatingSeeds  []uint64 `json:"violating_seeds"`
	Stuck           int      `json:"stuck"`
	UnknownVerdicts int      `json:"unknown"`
}

// rows lists the groups' figures by operation type; a protocol that lacks
// an operation has no row for it.
func (c *comparison) rows() []compareRow {
	var out []compareRow
	for _, g := range c.groups {
		for _, f := range g.figures.Final() {
			oc := g.outcomes[opKind(f.Op)]
			n := float64(max(f.Count, 1))
			out = append(out, compareRow{
				Scenario: g.scenario.Name, Protocol: g.config.Label, Op: f.Op, Ops: f.Count,
				P50Ns: f.P50Ns, P99Ns: f.P99Ns, P999Ns: f.P999Ns,
				MessagesPerOp: f.MessagesPerOp, RoundTrips: f.RoundTrips,
				OKShare:       float64(oc.OK+oc.CompareFailed) / n,
				CompareFailed: float64(oc.CompareFailed) / n,
				FailedShare:   float64(oc.Failed) / n, InfoShare: float64(oc.Info) / n,
				RetriesPerOp: float64(g.retries) / float64(max(g.ops, 1)),
				HedgesPerOp:  float64(g.hedges) / float64(max(g.ops, 1)),
				Seeds:        g.seeds, Violations: len(g.violations), ViolatingSeeds: nonNil(g.violations),
				Stuck: len(g.stuck), UnknownVerdicts: len(g.unknown),
			})
		}
	}
	return out
}

func (c *comparison) print(w io.Writer) {
	rows := c.rows()
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
		fmt.Fprintf(w, "%-*s  %-5s %9s %9s %9s %8s %3s %6s %6s %6s %6s %6s  %s\n", width, "protocol", "op",
			"p50", "p99", "p99.9", "msgs/op", "rt", "ok", "failed", "indet", "retry", "hedge", "violations")
		for _, r := range rows {
			if r.Scenario != sc.Name {
				continue
			}
			rt := "-"
			if r.RoundTrips >= 0 {
				rt = strconv.Itoa(r.RoundTrips)
			}
			fmt.Fprintf(w, "%-*s  %-5s %9s %9s %9s %8.1f %3s %6s %6s %6s %6.2f %6.2f  %s\n", width, r.Protocol, r.Op,
				latencyText(r.P50Ns), latencyText(r.P99Ns), latencyText(r.P999Ns), r.MessagesPerOp, rt,
				percent(r.OKShare), percent(r.FailedShare), percent(r.InfoShare), r.RetriesPerOp, r.HedgesPerOp,
				violationText(r))
		}
	}
}

// violationText is "0" or the count with the first failing seeds, each
// replayable with casim run.
func violationText(r compareRow) string {
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

func percent(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

func (c *comparison) writeJSON(w io.Writer) error {
	out := struct {
		*comparison
		Rows []compareRow `json:"rows"`
	}{c, c.rows()}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// compareCSVHeader names the CSV columns, one per field of compareRow.
var compareCSVHeader = []string{"scenario", "protocol", "op", "ops", "p50_ns", "p99_ns", "p999_ns",
	"messages_per_op", "round_trips", "ok_share", "compare_failed_share", "failed_share",
	"indeterminate_share", "retries_per_op", "hedges_per_op", "seeds", "violations", "violating_seeds", "stuck", "unknown"}

func (c *comparison) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(compareCSVHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, r := range c.rows() {
		seeds := make([]string, len(r.ViolatingSeeds))
		for i, s := range r.ViolatingSeeds {
			seeds[i] = strconv.FormatUint(s, 10)
		}
		cw.Write([]string{r.Scenario, r.Protocol, r.Op, strconv.Itoa(r.Ops),
			strconv.FormatInt(r.P50Ns, 10), strconv.FormatInt(r.P99Ns, 10), strconv.FormatInt(r.P999Ns, 10),
			f(r.MessagesPerOp), strconv.Itoa(r.RoundTrips), f(r.OKShare), f(r.CompareFailed),
			f(r.FailedShare), f(r.InfoShare), f(r.RetriesPerOp), f(r.HedgesPerOp), strconv.Itoa(r.Seeds), strconv.Itoa(r.Violations),
			strings.Join(seeds, " "), strconv.Itoa(r.Stuck), strconv.Itoa(r.UnknownVerdicts)})
	}
	cw.Flush()
	return cw.Error()
}

// opKind maps an operation name back to its model.Kind index.
func opKind(name string) int {
	for k := range 3 {
		if model.Kind(k).String() == name {
			return k
		}
	}
	return 0
}

func nonNil(s []uint64) []uint64 {
	if s == nil {
		return []uint64{}
	}
	return s
}
