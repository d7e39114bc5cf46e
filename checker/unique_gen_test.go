package checker

import (
	"fmt"
	"strings"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// genParams shape a random one-key history with unique written values.
type genParams struct {
	procs, ops int
	infoPct    int  // chance in percent that an operation ends indeterminate
	mutate     bool // change one result afterwards, which often makes it illegal
}

// uniqueHistory simulates a register: each operation takes effect at a
// random point inside its interval (an indeterminate one maybe never), and
// returns what the register gave. Cas expect the current value, an older
// one or one never written, so that compares fail too; reads see ∅ until
// the first write. With mutate, one read's result or one cas's outcome is
// changed afterwards. Draws come from draw(n) in [0, n).
func uniqueHistory(draw func(n int) int, p genParams) []history.Event {
	var events []history.Event
	var state model.State
	var written []int64
	next := int64(1)
	open := make([]*genPending, p.procs)
	ids := make([]int, p.procs) // logical process of each slot
	for i := range ids {
		ids[i] = i
	}
	nextID := p.procs
	started := 0
	apply := func(q *genPending) {
		q.effective = true
		q.done = q.inv
		q.done.Type = history.Ok
		switch q.inv.F {
		case model.Read:
			q.done.Has, q.done.Value = state.Has, state.Value
		case model.Write:
			state = model.State{Has: true, Value: q.inv.Value}
		case model.Cas:
			if state.Has && state.Value == q.inv.Expected {
				state = model.State{Has: true, Value: q.inv.Value}
			} else {
				q.done.Type = history.Fail
			}
		}
	}
	for started < p.ops || anyOpen(open) {
		s := draw(p.procs)
		q := open[s]
		switch {
		case q == nil && started < p.ops:
			e := history.Event{Type: history.Invoke, Process: ids[s], F: model.Kind(draw(3)), Key: "x"}
			switch e.F {
			case model.Write:
				e.Has, e.Value = true, next
				next++
			case model.Cas:
				e.Has, e.Value = true, next
				next++
				switch k := draw(6); {
				case k < 3 && state.Has:
					e.Expected = state.Value
				case k < 5 && len(written) > 0:
					e.Expected = written[draw(len(written))]
				default:
					e.Expected = 1000000 + int64(draw(1000))
				}
			}
			if e.F != model.Read {
				written = append(written, e.Value)
			}
			started++
			events = append(events, e)
			open[s] = &genPending{inv: e, info: draw(100) < p.infoPct}
		case q == nil:
		case !q.effective && draw(2) == 0:
			if !q.info || draw(2) == 0 {
				apply(q)
			}
		case q.info:
			if draw(3) == 0 { // report it indeterminate, or never
				if draw(2) == 0 {
					e := q.inv
					e.Type = history.Info
					events = append(events, e)
				}
				open[s] = nil
				ids[s] = nextID
				nextID++
			}
		case q.effective:
			events = append(events, q.done)
			open[s] = nil
		}
	}
	if p.mutate && len(events) > 0 {
		mutateOne(draw, events, written)
	}
	return events
}

// genPending is an open operation of uniqueHistory.
type genPending struct {
	inv       history.Event
	info      bool
	effective bool // took effect already
	done      history.Event
}

func anyOpen(open []*genPending) bool {
	for _, q := range open {
		if q != nil {
			return true
		}
	}
	return false
}

// mutateOne changes one completed read's result or one cas's outcome.
func mutateOne(draw func(n int) int, events []history.Event, written []int64) {
	var candidates []int
	for i, e := range events {
		if e.Type == history.Ok && e.F == model.Read || (e.Type == history.Ok || e.Type == history.Fail) && e.F == model.Cas {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return
	}
	e := &events[candidates[draw(len(candidates))]]
	switch {
	case e.F == model.Cas && e.Type == history.Ok:
		e.Type = history.Fail
	case e.F == model.Cas:
		e.Type = history.Ok
	case len(written) == 0 || draw(4) == 0:
		e.Has, e.Value = false, 0
	default:
		e.Has, e.Value = true, written[draw(len(written))]
	}
}

// eventsText renders events in hist's compact form, for failure messages.
func eventsText(events []history.Event) string {
	var b strings.Builder
	for _, e := range events {
		fmt.Fprintf(&b, "%d %s %s %s", e.Process, e.Type, e.F, e.Key)
		switch {
		case e.F == model.Cas:
			fmt.Fprintf(&b, " %d %d", e.Expected, e.Value)
		case e.Has:
			fmt.Fprintf(&b, " %d", e.Value)
		case e.F == model.Read && e.Type == history.Ok:
			b.WriteString(" nil")
		}
		if e.Error != "" {
			b.WriteString(" error=" + e.Error)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
