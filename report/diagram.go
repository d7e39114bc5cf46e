package report

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/casimlab/casim/sim"
)

// The message diagram of the HTML report: nodes and clients as columns,
// virtual time downwards, messages as arrows. Time is drawn by rank, not to
// scale: each distinct instant that has an event is one row, so a burst of
// messages within a microsecond stays legible next to a quiet 50ms pause.
// The time axis names every row's instant.

// Diagram geometry, in SVG pixels.
const (
	rowPx       = 18
	colPx       = 120
	axisPx      = 84   // the time axis
	lanePx      = 16   // one per fault
	topPx       = 10   // above the first row
	labelPx     = 170  // right of the last column, for its labels
	maxDiagRows = 1500 // a browser draws this many rows quickly
)

// diagram is what the template draws.
type diagram struct {
	Width, Height int
	Columns       []column
	Lanes         []lane
	Rows          []rowLabel
	Bands         []shape // faults on the columns they strike
	OpBars        []shape // client operations, invoke to completion
	Arrows        []arrow
	Marks         []shape // timers, crashes, invokes and replies
	// Note says what part of the run is drawn.
	Note string
}

type column struct {
	X    int
	Name string
}

type lane struct {
	X            int
	Label, Title string
	Y1, Y2       int
	Class        string
	Drawn        bool // the fault overlaps the rows drawn
}

type rowLabel struct {
	Y    int
	Text string
}

// shape is a rectangle or a label; Class picks the style, Op the operation
// it belongs to (for highlighting on hover), Title the tooltip.
type shape struct {
	X, Y, W, H int
	Text       string
	Class      string
	Title      string
	Op         int
}

type arrow struct {
	X1, Y1, X2, Y2 int
	Label, Title   string
	Class          string
	Op             int
	Lost           bool
}

// diagramInput is what a diagram is drawn from.
type diagramInput struct {
	events   []sim.TraceEvent
	replicas int
	clients  int
	schedule []sim.Fault
	marks    opMarks
	// keep selects the events to draw; nil keeps all.
	keep func(sim.TraceEvent) bool
	// fromNs, toNs bound the window drawn (toNs < 0: to the end).
	fromNs, toNs int64
	note         string
	// steps: AtNs counts steps (see Run.Steps).
	steps bool
}

// rowText labels the row of instant t.
func (in diagramInput) rowText(t int64) string {
	if in.steps {
		return fmt.Sprintf("step %d", t)
	}
	return fmtMs(t)
}

func (in diagramInput) build() diagram {
	var evs []sim.TraceEvent
	for _, e := range in.events {
		if e.AtNs < in.fromNs || (in.toNs >= 0 && e.AtNs > in.toNs) || (in.keep != nil && !in.keep(e)) {
			continue
		}
		evs = append(evs, e)
	}
	d := diagram{Note: in.note}
	// Rows: the distinct instants, capped.
	var times []int64
	for _, e := range evs {
		if len(times) == 0 || times[len(times)-1] != e.AtNs {
			if len(times) == maxDiagRows {
				d.Note += fmt.Sprintf(" Only the first %d instants are drawn; the rest of the run is in casim run --trace.", maxDiagRows)
				break
			}
			times = append(times, e.AtNs)
		}
	}
	evs = slices.DeleteFunc(evs, func(e sim.TraceEvent) bool { return len(times) == 0 || e.AtNs > times[len(times)-1] })
	rowY := func(t int64) int {
		i := sort.Search(len(times), func(i int) bool { return times[i] >= t })
		return topPx + i*rowPx + rowPx/2
	}
	bottom := topPx + len(times)*rowPx
	for i, t := range times {
		d.Rows = append(d.Rows, rowLabel{Y: topPx + i*rowPx + rowPx/2, Text: in.rowText(t)})
	}
	x0 := axisPx + len(in.schedule)*lanePx + 10
	colX := func(ep int) int { return x0 + ep*colPx + colPx/2 }
	for ep := range in.replicas + in.clients {
		d.Columns = append(d.Columns, column{X: colX(ep), Name: sim.EndpointName(ep, in.replicas)})
	}
	d.Width = x0 + (in.replicas+in.clients)*colPx + labelPx
	d.Height = bottom + topPx
	d.faults(in, times, rowY, bottom, colX)
	d.operations(in, evs, rowY, bottom, colX)
	d.messages(in, evs, rowY, bottom, colX)
	return d
}

// faults draws each fault as a lane left of the columns, and as a band
// on the columns of the nodes and clients it strikes.
func (d *diagram) faults(in diagramInput, times []int64, rowY func(int64) int, bottom int, colX func(int) int) {
	for i, f := range in.schedule {
		l := lane{X: axisPx + i*lanePx + lanePx/2, Label: fmt.Sprintf("F%d", i+1), Class: "f-" + string(f.Kind),
			Title: fmt.Sprintf("F%d %s %s–%s %s", i+1, f.Kind, fmtMs(f.StartNs), fmtMs(f.EndNs), f.Describe())}
		if len(times) > 0 && f.EndNs >= times[0] && f.StartNs <= times[len(times)-1] {
			l.Drawn = true
			l.Y1, l.Y2 = rowY(f.StartNs)-rowPx/2, min(rowY(f.EndNs)+rowPx/2, bottom)
			if f.Kind == sim.ClockStep {
				l.Y2 = l.Y1 + rowPx
			}
		}
		d.Lanes = append(d.Lanes, l)
		if !l.Drawn {
			continue
		}
		var eps []int
		eps = append(eps, f.Nodes...)
		switch f.Kind {
		case sim.Asymmetric, sim.Bridge:
			eps = append(eps, f.Peers...)
		}
		for _, c := range f.Clients {
			eps = append(eps, in.replicas+c)
		}
		for _, ep := range eps {
			d.Bands = append(d.Bands, shape{X: colX(ep) - colPx/2 + 4, Y: l.Y1, W: colPx - 8, H: l.Y2 - l.Y1,
				Class: l.Class, Title: l.Title, Text: l.Label, Op: -1})
		}
	}
}

// operations draws each client operation as a bar on its client's column
// from invoke to completion, and the nodes' timers, crashes and restarts.
func (d *diagram) operations(in diagramInput, evs []sim.TraceEvent, rowY func(int64) int, bottom int, colX func(int) int) {
	open := map[int]int{} // op -> index in OpBars
	for _, e := range evs {
		y := rowY(e.AtNs)
		switch e.Kind {
		case "invoke":
			m := in.marks.of(e.Op)
			open[e.Op] = len(d.OpBars)
			label := e.Detail
			if m.Tag != "" {
				label = m.Tag + " " + label
			}
			d.OpBars = append(d.OpBars, shape{X: colX(e.From) - 5, Y: y, W: 10, H: bottom - y,
				Text: label, Class: "op" + roleClass(m), Title: label, Op: e.Op})
		case "complete", "deadline":
			if i, ok := open[e.Op]; ok {
				b := &d.OpBars[i]
				b.H = y - b.Y
				b.Title += "  ⇒  " + e.Kind + " " + e.Detail
				delete(open, e.Op)
			}
			d.Marks = append(d.Marks, shape{X: colX(e.From) + 8, Y: y, Text: e.Detail, Class: "reply" + roleClass(in.marks.of(e.Op)), Op: e.Op})
		case "timer":
			// The timer's kind and key (the protocol's own numbering; its
			// doc comment says what each kind is for).
			d.Marks = append(d.Marks, shape{X: colX(e.From), Y: y, Class: "timer",
				Title: strings.TrimSpace("timer at " + fmtMs(e.AtNs) + ": " + e.Detail), Op: e.Op})
		case "crash", "restart":
			d.Marks = append(d.Marks, shape{X: colX(e.From) + 8, Y: y, Text: e.Kind, Class: "crash", Op: -1})
		}
	}
}

// messages pairs each delivery (or loss) with its send and draws an arrow.
// The trace has no message ids: a delivery belongs to the oldest
// undelivered send with the same ends and contents; a duplicate's second
// delivery to the send that was delivered last.
func (d *diagram) messages(in diagramInput, evs []sim.TraceEvent, rowY func(int64) int, bottom int, colX func(int) int) {
	type msgKey struct {
		from, to, op int
		msg, detail  string
	}
	pending := map[msgKey][]int64{}
	last := map[msgKey]int64{}
	top := topPx
	draw := func(e sim.TraceEvent, sentNs int64, sent bool, lost bool) {
		y1 := top
		if sent {
			y1 = rowY(sentNs)
		}
		a := arrow{X1: colX(e.From), Y1: y1, X2: colX(e.To), Y2: rowY(e.AtNs), Label: e.Msg, Lost: lost,
			Class: "msg" + roleClass(in.marks.of(e.Op)), Op: e.Op,
			Title: fmt.Sprintf("%s → %s  %s  %s", sim.EndpointName(e.From, in.replicas), sim.EndpointName(e.To, in.replicas), e.Msg, compactDetail(e.Detail))}
		if lost && a.Y1 == a.Y2 {
			// Lost as it left: half an arrow.
			a.X2, a.Y2 = (a.X1+a.X2)/2, a.Y1+rowPx/2
		}
		d.Arrows = append(d.Arrows, a)
	}
	for _, e := range evs {
		if e.From == e.To || e.From < 0 || e.To < 0 {
			continue // a node's messages to itself do not cross the network
		}
		k := msgKey{e.From, e.To, e.Op, e.Msg, e.Detail}
		switch e.Kind {
		case "send":
			pending[k] = append(pending[k], e.AtNs)
		case "deliver", "drop":
			lost := e.Kind == "drop"
			q := pending[k]
			switch {
			case lost && len(q) > 0 && q[len(q)-1] == e.AtNs:
				pending[k] = q[:len(q)-1] // dropped as it was sent
				draw(e, e.AtNs, true, true)
			case len(q) > 0:
				pending[k] = q[1:]
				last[k] = q[0]
				draw(e, q[0], true, lost)
			default:
				t, ok := last[k]
				draw(e, t, ok, lost) // a duplicate, or sent before the window
			}
		}
	}
	// Messages still in flight when the window ends.
	for k, q := range pending {
		for _, t := range q {
			d.Arrows = append(d.Arrows, arrow{X1: colX(k.from), Y1: rowY(t), X2: colX(k.to), Y2: bottom, Label: k.msg,
				Class: "msg" + roleClass(in.marks.of(k.op)) + " inflight", Op: k.op,
				Title: fmt.Sprintf("%s → %s  %s  (delivered after the window)", sim.EndpointName(k.from, in.replicas), sim.EndpointName(k.to, in.replicas), k.msg)})
		}
	}
	// Sorted, for a byte-for-byte repeatable report (the map above has no
	// order).
	slices.SortStableFunc(d.Arrows, func(a, b arrow) int {
		return cmp.Or(cmp.Compare(a.Y1, b.Y1), cmp.Compare(a.X1, b.X1), cmp.Compare(a.X2, b.X2),
			cmp.Compare(a.Y2, b.Y2), cmp.Compare(a.Label, b.Label), cmp.Compare(a.Op, b.Op))
	})
}

// roleClass is the CSS class suffix of an operation's mark.
func roleClass(m opMark) string {
	switch {
	case m.Tag == "":
		return ""
	case m.Witness:
		return " witness"
	}
	return " context"
}
