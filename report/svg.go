package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// svgChart draws one chart as inline SVG: axes, ticks and a legend, and
// whatever lines, bars and shaded spans are added. Drawing it here rather
// than with a plotting library keeps the report free of scripts and fonts
// to fetch: it opens offline, and the same comparison gives the same bytes.
type svgChart struct {
	title          string
	xLabel, yLabel string
	xMin, xMax     float64
	yMin, yMax     float64
	logX           bool
	body           strings.Builder
	legend         []legendEntry
}

type legendEntry struct{ name, color string }

// The plot area inside the SVG's fixed size.
const (
	svgW, svgH                     = 640, 300
	padL, padR, padT, padB         = 60, 190, 30, 45
	plotW, plotH                   = svgW - padL - padR, svgH - padT - padB
	legendX                float64 = svgW - padR + 12
)

// palette gives each contender the same color in every chart.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"}

func colorOf(i int) string { return palette[i%len(palette)] }

func (c *svgChart) x(v float64) float64 {
	f := (v - c.xMin) / (c.xMax - c.xMin)
	if c.logX {
		f = (math.Log10(v) - math.Log10(c.xMin)) / (math.Log10(c.xMax) - math.Log10(c.xMin))
	}
	return padL + math.Max(0, math.Min(1, f))*plotW
}

func (c *svgChart) y(v float64) float64 {
	f := (v - c.yMin) / (c.yMax - c.yMin)
	return padT + plotH - math.Max(0, math.Min(1, f))*plotH
}

// line adds a polyline through points (x, y pairs in data units).
func (c *svgChart) line(name, color string, xs, ys []float64) {
	var pts []string
	for i := range xs {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", c.x(xs[i]), c.y(ys[i])))
	}
	fmt.Fprintf(&c.body, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"><title>%s</title></polyline>`+"\n",
		color, strings.Join(pts, " "), html.EscapeString(name))
	c.legend = append(c.legend, legendEntry{name, color})
}

// bar adds a bar from y=0 to v, centred at plot fraction at, w wide
// (a share of the plot's width).
func (c *svgChart) bar(name, color string, at, w, v float64) {
	x0 := padL + (at-w/2)*plotW
	top := c.y(v)
	fmt.Fprintf(&c.body, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %.1f</title></rect>`+"\n",
		x0, top, w*plotW, c.y(c.yMin)-top, color, html.EscapeString(name), v)
}

// shade marks the x interval [from, to] with a grey band and a caption.
func (c *svgChart) shade(from, to float64, caption string) {
	x0, x1 := c.x(from), c.x(to)
	fmt.Fprintf(&c.body, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#000" fill-opacity="0.08"/>`+
		`<text x="%.1f" y="%d" font-size="11" text-anchor="middle" fill="#555">%s</text>`+"\n",
		x0, padT, x1-x0, plotH, (x0+x1)/2, padT+plotH-6, html.EscapeString(caption))
}

// xTicks and yTicks are positions (data units) with their labels.
type tick struct {
	v     float64
	label string
}

// render returns the whole SVG element.
func (c *svgChart) render(xTicks, yTicks []tick) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" role="img">`+"\n",
		svgW, svgH, svgW, svgH)
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="14" font-weight="bold">%s</text>`+"\n", padL, html.EscapeString(c.title))
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`+"\n", padL, padT, plotW, plotH)
	for _, t := range xTicks {
		x := c.x(t.v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>`+"\n",
			x, padT, x, padT+plotH, x, padT+plotH+15, html.EscapeString(t.label))
	}
	for _, t := range yTicks {
		y := c.y(t.v)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" font-size="11" text-anchor="end">%s</text>`+"\n",
			padL, y, padL+plotW, y, padL-5, y+4, html.EscapeString(t.label))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle">%s</text>`+"\n",
		padL+plotW/2, svgH-8, html.EscapeString(c.xLabel))
	fmt.Fprintf(&b, `<text x="14" y="%d" font-size="12" text-anchor="middle" transform="rotate(-90 14 %d)">%s</text>`+"\n",
		padT+plotH/2, padT+plotH/2, html.EscapeString(c.yLabel))
	b.WriteString(c.body.String())
	for i, l := range c.legend {
		y := float64(padT + 10 + 18*i)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/><text x="%.1f" y="%.1f" font-size="11">%s</text>`+"\n",
			legendX, y-10, l.color, legendX+17, y, html.EscapeString(l.name))
	}
	b.WriteString("</svg>")
	return b.String()
}

// msTicks are round latencies between lo and hi (ns) for a log axis.
func msTicks(lo, hi float64) []tick {
	var out []tick
	for decade := 1e4; decade <= hi*10; decade *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if v := m * decade; v >= lo && v <= hi {
				out = append(out, tick{v, latencyLabel(int64(v))})
			}
		}
	}
	return out
}

func latencyLabel(ns int64) string {
	if ns >= 1_000_000 {
		return fmt.Sprintf("%gms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%gµs", float64(ns)/1e3)
}

func percentTicks() []tick {
	var out []tick
	for p := 0; p <= 100; p += 25 {
		out = append(out, tick{float64(p) / 100, fmt.Sprintf("%d%%", p)})
	}
	return out
}
