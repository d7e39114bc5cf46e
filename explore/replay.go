package explore

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// Replayed is a path of choices replayed from the initial state.
type Replayed struct {
	// Steps describes each step and what it did, one entry per choice.
	Steps   []Step
	History []history.Event
	Check   checker.Result
	// Events are the replay as the simulator's trace records a run, for
	// the HTML report's message diagram (report.Run): each event's AtNs is
	// the number of its step, not a time (in casim explore's model time
	// moves only with timers and latency, and many steps share an
	// instant). A message is credited to the operation whose request led
	// to it (Op), as the simulator credits effects.
	Events []sim.TraceEvent
	// OpInvokes maps each planned operation (Op) to the index of its
	// invoke in History (-1: never invoked), as sim.Result.OpInvokes.
	OpInvokes []int
}

// Step is one replayed choice: its description and its effects.
type Step struct {
	AtNs    int64
	Choice  string
	Effects []string
}

// Describe renders a path found by Explore as choice lines.
func Describe(cfg Config, path []Choice) ([]string, error) {
	r, err := Replay(context.Background(), cfg, path)
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		lines[i] = s.Choice
	}
	return lines, nil
}

// Replay takes path from the initial state of cfg's model, recording
// each step, and checks the history it ends with.
func Replay(ctx context.Context, cfg Config, path []Choice) (Replayed, error) {
	if err := cfg.Validate(); err != nil {
		return Replayed{}, err
	}
	m := newMachine(cfg)
	w := m.initial()
	var r Replayed
	r.OpInvokes = make([]int, len(w.ops))
	for i := range r.OpInvokes {
		r.OpInvokes[i] = -1
	}
	opOf := map[uint64]int{} // message or timer hash -> the operation it works for
	R := int32(cfg.Replicas)
	ev := func(at int64, kind string, from, to int32, op int, m protocol.Message, detail string) {
		e := sim.TraceEvent{AtNs: at, Kind: kind, From: int(from), To: int(to), Op: op, Detail: detail}
		if m != nil {
			e.Msg, e.Detail = m.Kind(), fmt.Sprintf("%+v", m)
		}
		r.Events = append(r.Events, e)
	}
	for i, ch := range path {
		if !slices.Contains(w.choices(nil), ch) {
			return r, fmt.Errorf("step %d (%s): not a choice of the state it is taken in", i+1, w.describe(ch))
		}
		st := Step{Choice: w.describe(ch)}
		c := w.clone()
		before := map[uint64]int{}
		for _, x := range w.msgs {
			before[x.hash]++
		}
		hist := len(w.hist)
		if _, err := c.apply(ch); err != nil {
			return r, fmt.Errorf("step %d: %v", i+1, err)
		}
		st.AtNs = c.nowNs
		at := int64(i + 1)
		cause := -1 // the operation this step works for
		switch ch.Kind {
		case Deliver, Dup:
			if j := slices.IndexFunc(w.msgs, func(x msg) bool { return x.hash == ch.Hash }); j >= 0 {
				x := w.msgs[j]
				cause = causeOf(opOf, x.hash)
				if ch.Kind == Deliver {
					ev(at, "deliver", x.from, x.to, cause, x.m, "")
				}
			}
		case Timer:
			if j := slices.IndexFunc(w.tims, func(t rtimer) bool { return t.hash == ch.Hash }); j >= 0 {
				cause = causeOf(opOf, ch.Hash)
				ev(at, "timer", w.tims[j].node, -1, cause, nil, fmt.Sprintf("kind %d key %s", w.tims[j].t.Kind, w.tims[j].t.Key))
			}
		case Invoke:
			cause = m.opBase[ch.N] + w.cls[ch.N].next
			r.OpInvokes[cause] = len(w.hist)
		case ClientTimer:
			cause = w.cls[ch.N].op
		case Crash:
			ev(at, "crash", int32(ch.N), -1, -1, nil, "")
			ev(at, "restart", int32(ch.N), -1, -1, nil, "")
		}
		for _, x := range c.msgs {
			if before[x.hash] > 0 {
				before[x.hash]--
				continue
			}
			st.Effects = append(st.Effects, fmt.Sprintf("send %s>%s %s %+v", endpointName(x.from, R), endpointName(x.to, R), x.m.Kind(), x.m))
			if _, ok := opOf[x.hash]; !ok {
				opOf[x.hash] = cause
			}
			if ch.Kind != Dup {
				ev(at, "send", x.from, x.to, opOf[x.hash], x.m, "")
			}
		}
		for _, t := range c.tims {
			if _, ok := opOf[t.hash]; !ok {
				opOf[t.hash] = cause
			}
		}
		for _, e := range c.hist[hist:] {
			st.Effects = append(st.Effects, fmt.Sprintf("%s p%d %s", e.Type, e.Process, describeEvent(e)))
			kind := "complete"
			if e.Type == history.Invoke {
				kind = "invoke"
			}
			ev(at, kind, R+int32(m.clientOf(cause)), -1, cause, nil, describeEvent(e))
		}
		r.Steps = append(r.Steps, st)
		w = c
	}
	r.History = w.hist
	var err error
	r.Check, err = checker.CheckWith(ctx, w.hist, checker.Options{})
	return r, err
}

// causeOf is the operation a message or timer works for (-1: none).
func causeOf(opOf map[uint64]int, h uint64) int {
	if op, ok := opOf[h]; ok {
		return op
	}
	return -1
}

// clientOf is the client whose planned operation op is.
func (m *machine) clientOf(op int) int {
	for ci := len(m.opBase) - 1; ci >= 0; ci-- {
		if op >= m.opBase[ci] {
			return ci
		}
	}
	return 0
}

func describeEvent(e history.Event) string {
	v := "nil"
	if e.Has {
		v = fmt.Sprint(e.Value)
	}
	switch e.F {
	case model.Write:
		return fmt.Sprintf("write(%s, %d)", e.Key, e.Value)
	case model.Cas:
		return fmt.Sprintf("cas(%s, %d→%d)", e.Key, e.Expected, e.Value)
	}
	if e.Type == history.Invoke {
		return fmt.Sprintf("read(%s)", e.Key)
	}
	return fmt.Sprintf("read(%s) = %s", e.Key, v)
}

// WriteTrace prints a replayed path, one step a line with its effects
// indented below.
func (r Replayed) WriteTrace(w io.Writer) {
	for i, s := range r.Steps {
		fmt.Fprintf(w, "%3d  t=%-6s %s\n", i+1, fmtMs(s.AtNs), s.Choice)
		for _, e := range s.Effects {
			fmt.Fprintf(w, "               %s\n", e)
		}
	}
}

func fmtMs(ns int64) string {
	if ns%1_000_000 == 0 {
		return fmt.Sprintf("%dms", ns/1_000_000)
	}
	return fmt.Sprintf("%.3fms", float64(ns)/1e6)
}
