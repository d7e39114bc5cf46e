package compare

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/casimlab/casim/model"
)

// Row is one line of the Comparison: a contender's figures for one
// operation type under one scenario. Latencies are of the operations
// answered ok, in simulated nanoseconds (-1: none). Violations and the
// seed lists are per contender and scenario, repeated on each of its rows
// so that every row stands alone in CSV.
type Row struct {
	Scenario      string  `json:"scenario"`
	Protocol      string  `json:"protocol"`
	Op            string  `json:"op"`
	Ops           int     `json:"ops"`
	P50Ns         int64   `json:"p50_ns"`
	P99Ns         int64   `json:"p99_ns"`
	P999Ns        int64   `json:"p999_ns"`
	MessagesPerOp float64 `json:"messages_per_op"`
	RoundTrips    int     `json:"round_trips"`
	OKShare       float64 `json:"ok_share"`
	CompareFailed float64 `json:"compare_failed_share"` // part of ok_share
	FailedShare   float64 `json:"failed_share"`
	InfoShare     float64 `json:"indeterminate_share"`
	// Availability is the share answered within the client's deadline
	// (sim.Stats.Availability); MaxStallNs the contender's longest stall
	// in any run, repeated on each of its rows.
	Availability    float64  `json:"availability"`
	MaxStallNs      int64    `json:"max_stall_ns"`
	RetriesPerOp    float64  `json:"retries_per_op"` // of the contender, all types
	HedgesPerOp     float64  `json:"hedges_per_op"`  // of the contender, all types
	Seeds           int      `json:"seeds"`
	Violations      int      `json:"violations"`
	ViolatingSeeds  []uint64 `json:"violating_seeds"`
	Stuck           int      `json:"stuck"`
	UnknownVerdicts int      `json:"unknown"`
}

// Rows lists the groups' figures by operation type; a protocol that lacks
// an operation has no row for it.
func (c *Comparison) Rows() []Row {
	var out []Row
	for _, g := range c.Groups {
		for _, f := range g.Figures.Final() {
			oc := g.Outcomes[opKind(f.Op)]
			n := float64(max(f.Count, 1))
			out = append(out, Row{
				Scenario: g.Scenario.Name, Protocol: g.Contender.Label, Op: f.Op, Ops: f.Count,
				P50Ns: f.P50Ns, P99Ns: f.P99Ns, P999Ns: f.P999Ns,
				MessagesPerOp: f.MessagesPerOp, RoundTrips: f.RoundTrips,
				OKShare:       float64(oc.OK+oc.CompareFailed) / n,
				CompareFailed: float64(oc.CompareFailed) / n,
				FailedShare:   float64(oc.Failed) / n, InfoShare: float64(oc.Info) / n,
				Availability: float64(oc.InTime) / n, MaxStallNs: g.MaxStallNs,
				RetriesPerOp: float64(g.Retries) / float64(max(g.Ops, 1)),
				HedgesPerOp:  float64(g.Hedges) / float64(max(g.Ops, 1)),
				Seeds:        g.Seeds, Violations: len(g.Violations), ViolatingSeeds: nonNil(g.Violations),
				Stuck: len(g.Stuck), UnknownVerdicts: len(g.Unknown),
			})
		}
	}
	return out
}

// WriteJSON writes the comparison and its rows as one indented JSON object:
// `casim compare --json`.
func (c *Comparison) WriteJSON(w io.Writer) error {
	out := struct {
		*Comparison
		Rows []Row     `json:"rows"`
		Load []LoadRow `json:"load,omitempty"`
	}{c, c.Rows(), c.LoadRows()}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// CSVHeader names the CSV columns, one per field of Row.
var CSVHeader = []string{"scenario", "protocol", "op", "ops", "p50_ns", "p99_ns", "p999_ns",
	"messages_per_op", "round_trips", "ok_share", "compare_failed_share", "failed_share",
	"indeterminate_share", "availability", "max_stall_ns", "retries_per_op", "hedges_per_op", "seeds", "violations", "violating_seeds", "stuck", "unknown"}

// WriteCSV writes the rows as CSV under CSVHeader: `casim compare --csv`.
func (c *Comparison) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, r := range c.Rows() {
		seeds := make([]string, len(r.ViolatingSeeds))
		for i, s := range r.ViolatingSeeds {
			seeds[i] = strconv.FormatUint(s, 10)
		}
		cw.Write([]string{r.Scenario, r.Protocol, r.Op, strconv.Itoa(r.Ops),
			strconv.FormatInt(r.P50Ns, 10), strconv.FormatInt(r.P99Ns, 10), strconv.FormatInt(r.P999Ns, 10),
			f(r.MessagesPerOp), strconv.Itoa(r.RoundTrips), f(r.OKShare), f(r.CompareFailed),
			f(r.FailedShare), f(r.InfoShare), f(r.Availability), strconv.FormatInt(r.MaxStallNs, 10), f(r.RetriesPerOp), f(r.HedgesPerOp), strconv.Itoa(r.Seeds), strconv.Itoa(r.Violations),
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
