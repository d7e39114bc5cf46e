package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/casimlab/casim/compare"
)

// loadCharts draw, for a scenario of `casim compare --loads`, goodput and
// p99 against the load offered, one line per contender (its label less
// the load): where goodput stops following the offered load and p99
// climbs is the knee, the system's capacity.
func loadCharts(rows []compare.LoadRow, scenario string) []template.HTML {
	type series struct {
		name           string
		xs, good, p99s []float64
	}
	var ss []*series
	byName := map[string]*series{}
	maxX, maxGood, maxP99 := 1.0, 1.0, 1.0
	for _, r := range rows {
		if r.Scenario != scenario {
			continue
		}
		name := r.Protocol
		if i := strings.LastIndex(name, " load="); i >= 0 {
			name = name[:i]
		}
		s := byName[name]
		if s == nil {
			s = &series{name: name}
			byName[name] = s
			ss = append(ss, s)
		}
		s.xs = append(s.xs, r.OfferedPerSec)
		s.good = append(s.good, r.GoodputPerSec)
		p99 := math.Max(float64(r.P99Ns), 0) / 1e6
		s.p99s = append(s.p99s, p99)
		maxX, maxGood, maxP99 = math.Max(maxX, r.OfferedPerSec), math.Max(maxGood, r.GoodputPerSec), math.Max(maxP99, p99)
	}
	if len(ss) == 0 {
		return nil
	}
	good := &svgChart{title: "goodput against offered load", xLabel: "offered load (ops/s, all clients)",
		yLabel: "answered in time (ops/s)", xMin: 0, xMax: maxX * 1.05, yMin: 0, yMax: maxGood * 1.1}
	lat := &svgChart{title: "p99 against offered load", xLabel: good.xLabel,
		yLabel: "p99 of ok ops (ms)", xMin: 0, xMax: good.xMax, yMin: 0, yMax: maxP99 * 1.1}
	for i, s := range ss {
		good.line(s.name, colorOf(i), s.xs, s.good)
		lat.line(s.name, colorOf(i), s.xs, s.p99s)
	}
	return []template.HTML{
		template.HTML(good.render(linearTicks(good.xMax), linearTicks(good.yMax))),
		template.HTML(lat.render(linearTicks(lat.xMax), linearTicks(lat.yMax))),
	}
}

// linearTicks are five ticks from 0 to top.
func linearTicks(top float64) []tick {
	var ts []tick
	for i := range 5 {
		v := top * float64(i) / 4
		ts = append(ts, tick{v, fmt.Sprintf("%.0f", v)})
	}
	return ts
}
