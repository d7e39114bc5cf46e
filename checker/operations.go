package checker

import (
	"fmt"
	"iter"
	"math"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// Never is the return time given to indeterminate operations: after every
// other event, so porcupine may linearize them anywhere after their invoke
// (see model.Step for why that also covers "never took effect").
const Never = math.MaxInt64

// Operations pairs a validated event sequence into porcupine operations.
// Time is the event's index in the sequence: HISTORY.md says line order
// decides, and the `time` field is informative only.
//
// Operations that did not take effect (a fail on read or write, or any fail
// carrying an error) are dropped; a cas fail without an error is a failed
// compare; info, and an invoke with no completion, are indeterminate. The
// operation's Call is the index of its invoke event, which is also how the
// checker finds the event again.
func Operations(events []history.Event) ([]porcupine.Operation, error) {
	open := map[int]int{} // process -> index of its open invoke
	ops := make([]porcupine.Operation, 0, len(events)/2)
	pending := make([]int, 0) // invoke indexes, in order, to close as info
	closed := make([]bool, len(events))
	for i, e := range events {
		if e.Type == history.Invoke {
			if _, busy := open[e.Process]; busy {
				return nil, fmt.Errorf("event %d: process %d invokes while an operation is open", i, e.Process)
			}
			open[e.Process] = i
			pending = append(pending, i)
			continue
		}
		j, ok := open[e.Process]
		if !ok {
			return nil, fmt.Errorf("event %d: %s with no open invoke on process %d", i, e.Type, e.Process)
		}
		delete(open, e.Process)
		closed[j] = true
		inv := events[j]
		out := model.Output{Status: model.Ok}
		switch e.Type {
		case history.Fail:
			if e.Error != "" || inv.F != model.Cas {
				continue // did not take effect: nothing to check
			}
			out.Status = model.CompareFailed
		case history.Info:
			out.Status = model.Unknown
		case history.Ok:
			if e.Degraded {
				continue // checked by CheckDegraded, not for linearizability
			}
			if inv.F == model.Read {
				out.Has, out.Value = e.Has, e.Value
			}
		}
		ret := int64(i)
		if out.Status == model.Unknown {
			ret = Never
		}
		ops = append(ops, operation(inv, j, out, ret))
	}
	for _, j := range pending {
		if !closed[j] {
			ops = append(ops, operation(events[j], j, model.Output{Status: model.Unknown}, Never))
		}
	}
	return ops, nil
}

func operation(inv history.Event, index int, out model.Output, ret int64) porcupine.Operation {
	return porcupine.Operation{
		ClientId: inv.Process,
		Input:    model.Input{Kind: inv.F, Key: inv.Key, Value: inv.Value, Expected: inv.Expected},
		Call:     int64(index),
		Output:   out,
		Return:   ret,
	}
}

// completions yields each completion event's index with the index of the
// invoke it closes, in history order. A completion with no open invoke is
// passed over: callers read histories Operations has accepted.
func completions(events []history.Event) iter.Seq2[int, int] {
	return func(yield func(invoke, ret int) bool) {
		open := map[int]int{} // process -> index of its open invoke
		for i, e := range events {
			if e.Type == history.Invoke {
				open[e.Process] = i
				continue
			}
			j, ok := open[e.Process]
			if !ok {
				continue
			}
			delete(open, e.Process)
			if !yield(j, i) {
				return
			}
		}
	}
}
