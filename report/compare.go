package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/casimlab/casim/compare"
	"github.com/casimlab/casim/model"
)

// compareHTML is the report page: per scenario, the table and its charts.
// It has no script: the charts are SVG, drawn here.
var compareHTML = template.Must(template.New("compare").Funcs(template.FuncMap{
	"lat": Latency, "pct": Percent}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>casim compare</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: right; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
.bad { color: #b00; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; }
code { background: #f4f4f4; padding: 0 3px; }
</style></head><body>
<h1>casim compare</h1>
<p>{{.Seeds}} seeds from {{.Start}} per protocol and scenario: every protocol ran the same seeds, so the same
workload and the same fault schedule. Latencies are simulated time, of the operations answered ok. Round trips:
the most common path between replicas of operations answered on their first attempt. A cas whose compare failed
counts as answered (ok). Answered in time: the share answered (ok, or a definite failure) within the
client's deadline; longest stall: the longest stretch of any run in which operations waited and none was
answered.</p>
{{range .Sections}}
<h2>scenario {{.Name}}</h2>
<p><code>--faults {{.Spec}}</code>{{if .About}} — {{.About}}{{end}}</p>
<table><tr><th>protocol</th><th>op</th><th>p50</th><th>p99</th><th>p99.9</th><th>msgs/op</th><th>round trips</th>
<th>ok</th><th>failed</th><th>indeterminate</th><th>answered in time</th><th>longest stall</th><th>violations</th></tr>
{{range .Rows}}<tr><td>{{.Protocol}}</td><td>{{.Op}}</td><td>{{lat .P50Ns}}</td><td>{{lat .P99Ns}}</td><td>{{lat .P999Ns}}</td>
<td>{{printf "%.1f" .MessagesPerOp}}</td><td>{{.RoundTrips}}</td><td>{{pct .OKShare}}</td><td>{{pct .FailedShare}}</td>
<td>{{pct .InfoShare}}</td><td>{{pct .Availability}}</td><td>{{lat .MaxStallNs}}</td><td{{if .Violations}} class="bad"{{end}}>{{.Violations}}/{{.Seeds}}</td></tr>
{{end}}</table>
<div class="charts">{{range .Charts}}<figure>{{.}}</figure>{{end}}</div>
{{end}}
<p id="casim-status" hidden>report-ready</p>
</body></html>
`))

type compareSection struct {
	compare.Scenario
	Rows   []compare.Row
	Charts []template.HTML
}

// WriteComparison writes a comparison as one self-contained HTML page: per
// scenario, the table and its charts (latency CDFs, messages per
// operation, and for partition scenarios the share answered and the
// latency over time across the partition and its heal).
func WriteComparison(w io.Writer, c *compare.Comparison) error {
	rows, loads := c.Rows(), c.LoadRows()
	var sections []compareSection
	for _, sc := range c.Scenarios {
		s := compareSection{Scenario: sc}
		if s.Spec == "" {
			s.Spec = "(default fault mix)"
		}
		var groups []*compare.Group
		for _, g := range c.Groups {
			if g.Scenario.Name == sc.Name {
				groups = append(groups, g)
			}
		}
		for _, r := range rows {
			if r.Scenario == sc.Name {
				s.Rows = append(s.Rows, r)
			}
		}
		for k := range 3 {
			if svg := latencyCDF(groups, k); svg != "" {
				s.Charts = append(s.Charts, template.HTML(svg))
			}
		}
		s.Charts = append(s.Charts, template.HTML(messageBars(groups)))
		s.Charts = append(s.Charts, availabilityCharts(groups)...)
		s.Charts = append(s.Charts, loadCharts(loads, sc.Name)...)
		sections = append(sections, s)
	}
	return compareHTML.Execute(w, struct {
		*compare.Comparison
		Sections []compareSection
	}{c, sections})
}

// latencyCDF draws, for operation type k, the share of ok operations
// answered within each latency, one line per contender, on a log axis.
func latencyCDF(groups []*compare.Group, k int) string {
	lo, hi := math.Inf(1), 0.0
	for _, g := range groups {
		g.Figures[k].Latency.Buckets(func(low, high int64, _ uint64) {
			lo, hi = math.Min(lo, float64(max(low, 1))), math.Max(hi, float64(high))
		})
	}
	if hi == 0 {
		return ""
	}
	op := opName(k)
	c := &svgChart{title: "latency CDF: " + op, xLabel: "simulated latency (log scale)", yLabel: "share of ok " + op + " ops",
		xMin: lo, xMax: hi, yMin: 0, yMax: 1, logX: true}
	for i, g := range groups {
		h := &g.Figures[k].Latency
		if h.N() == 0 {
			continue
		}
		var xs, ys []float64
		var seen uint64
		h.Buckets(func(low, high int64, n uint64) {
			if seen == 0 {
				xs, ys = append(xs, float64(max(low, 1))), append(ys, 0)
			}
			seen += n
			xs, ys = append(xs, float64(high)), append(ys, float64(seen)/float64(h.N()))
		})
		c.line(g.Contender.Label, colorOf(i), xs, ys)
	}
	return c.render(msTicks(lo, hi), percentTicks())
}

// messageBars draws messages per operation: a cluster per contender, a
// bar per operation type.
func messageBars(groups []*compare.Group) string {
	top := 1.0
	for _, g := range groups {
		for _, f := range g.Figures.Final() {
			top = math.Max(top, f.MessagesPerOp)
		}
	}
	top = math.Ceil(top*1.1/10) * 10
	c := &svgChart{title: "messages per operation", yLabel: "messages per op", xMin: 0, xMax: 1, yMin: 0, yMax: top}
	slot := 1 / float64(max(len(groups), 1))
	var xTicks []tick
	for i, g := range groups {
		figs := g.Figures.Final()
		w := slot * 0.8 / float64(max(len(figs), 1))
		for j, f := range figs {
			at := slot*float64(i) + slot*0.1 + w*(float64(j)+0.5)
			c.bar(g.Contender.Label+" "+f.Op, opColor(f.Op), at, w*0.9, f.MessagesPerOp)
		}
		xTicks = append(xTicks, tick{slot * (float64(i) + 0.5), g.Contender.Label})
	}
	for k := range 3 {
		c.legend = append(c.legend, legendEntry{opName(k), opColor(opName(k))})
	}
	var yTicks []tick
	for v := 0.0; v <= top; v += top / 4 {
		yTicks = append(yTicks, tick{v, fmt.Sprintf("%g", v)})
	}
	return c.render(xTicks, yTicks)
}

// availabilityCharts draw, for a scenario whose runs had partitions, the
// share of operations answered and their mean latency by invoke time
// relative to each run's first partition, the partition shaded.
func availabilityCharts(groups []*compare.Group) []template.HTML {
	runs, partNs := 0, int64(0)
	for _, g := range groups {
		runs += g.Avail.Runs
		partNs += g.Avail.PartitionNs
	}
	if runs == 0 {
		return nil
	}
	meanPart := float64(partNs) / float64(runs) / 1e6
	xMin, xMax := -float64(compare.AvailBeforeNs)/1e6, float64(compare.AvailBuckets*compare.AvailBucketNs-compare.AvailBeforeNs)/1e6
	share := &svgChart{title: "availability across a partition and its heal", xLabel: "invoke time from the partition's start (ms)",
		yLabel: "share answered", xMin: xMin, xMax: xMax, yMin: 0, yMax: 1.05}
	maxLat := 1.0
	for _, g := range groups {
		for b, n := range g.Avail.Answered {
			if n > 0 {
				maxLat = math.Max(maxLat, float64(g.Avail.LatencyNs[b])/float64(n)/1e6)
			}
		}
	}
	lat := &svgChart{title: "mean latency across the partition", xLabel: share.xLabel, yLabel: "mean latency of answered ops (ms)",
		xMin: xMin, xMax: xMax, yMin: 0, yMax: math.Ceil(maxLat*1.1/10) * 10}
	caption := fmt.Sprintf("partition (mean %.0fms)", meanPart)
	share.shade(0, meanPart, caption)
	lat.shade(0, meanPart, caption)
	for i, g := range groups {
		var xs, ys, ls []float64
		for b, n := range g.Avail.Ops {
			if n == 0 {
				continue
			}
			xs = append(xs, (float64(b)+0.5)*compare.AvailBucketNs/1e6+xMin)
			ys = append(ys, float64(g.Avail.Answered[b])/float64(n))
			ls = append(ls, float64(g.Avail.LatencyNs[b])/float64(max(g.Avail.Answered[b], 1))/1e6)
		}
		share.line(g.Contender.Label, colorOf(i), xs, ys)
		lat.line(g.Contender.Label, colorOf(i), xs, ls)
	}
	var xTicks, latTicks []tick
	for v := xMin; v <= xMax; v += 100 {
		xTicks = append(xTicks, tick{v, fmt.Sprintf("%g", v)})
	}
	for v := 0.0; v <= lat.yMax; v += lat.yMax / 4 {
		latTicks = append(latTicks, tick{v, fmt.Sprintf("%g", v)})
	}
	return []template.HTML{template.HTML(share.render(xTicks, percentTicks())), template.HTML(lat.render(xTicks, latTicks))}
}

func opName(k int) string { return model.Kind(k).String() }

func opColor(op string) string {
	return map[string]string{"read": "#4e79a7", "write": "#f28e2b", "cas": "#59a14f"}[op]
}

// Latency renders simulated nanoseconds for a table, to 10µs (-1: "-").
func Latency(ns int64) string {
	if ns < 0 {
		return "-"
	}
	return time.Duration(ns).Round(10 * time.Microsecond).String()
}

// Percent renders a share as a percentage with one decimal.
func Percent(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
