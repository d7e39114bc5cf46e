package explore

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// Replayed is a path of choices replayed from the initial state.
type Replayed struct {
	// Steps describes each step and what it did, one entry per choice.
	Steps   []Step
	History []history.Event
	Check   checker.Result
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
		R := int32(cfg.Replicas)
		for _, x := range c.msgs {
			if before[x.hash] > 0 {
				before[x.hash]--
				continue
			}
			st.Effects = append(st.Effects, fmt.Sprintf("send %s>%s %s %+v", endpointName(x.from, R), endpointName(x.to, R), x.m.Kind(), x.m))
		}
		for _, e := range c.hist[hist:] {
			st.Effects = append(st.Effects, fmt.Sprintf("%s p%d %s", e.Type, e.Process, describeEvent(e)))
		}
		r.Steps = append(r.Steps, st)
		w = c
	}
	r.History = w.hist
	var err error
	r.Check, err = checker.CheckWith(ctx, w.hist, checker.Options{})
	return r, err
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
