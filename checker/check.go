// Package checker decides whether a history is linearizable against the
// key-value register of package model, with porcupine underneath.
package checker

import (
	"context"
	"io"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// Verdict is a check's outcome.
type Verdict string

const (
	// Linearizable: some order of the operations explains every result.
	Linearizable Verdict = "ok"
	// Illegal: no order does; Result.Key names a key that fails.
	Illegal Verdict = "illegal"
	// Unknown: the budget ran out before a verdict. Treat it as "no
	// violation found", not as a pass.
	Unknown Verdict = "unknown"
)

// Result is what Check found.
type Result struct {
	Verdict Verdict
	// Key is a key whose sub-history is not linearizable (Illegal only).
	Key string
	// Partial is porcupine's longest partial linearization of Key's
	// sub-history, as indexes of invoke events in the checked history.
	Partial []int

	ops  []porcupine.Operation
	info porcupine.LinearizationInfo
}

// Check decides whether events (a valid history) are linearizable. budget
// bounds the time spent (0: no bound); ctx's deadline, if earlier, also
// does.
func Check(ctx context.Context, events []history.Event, budget time.Duration) (Result, error) {
	ops, err := Operations(events)
	if err != nil {
		return Result{}, err
	}
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		if left <= 0 {
			return Result{Verdict: Unknown}, nil
		}
		if budget == 0 || left < budget {
			budget = left
		}
	}
	m := model.Porcupine()
	res, info := porcupine.CheckOperationsVerbose(m, ops, budget)
	r := Result{ops: ops, info: info}
	switch res {
	case porcupine.Ok:
		r.Verdict = Linearizable
	case porcupine.Unknown:
		r.Verdict = Unknown
	default:
		r.Verdict = Illegal
		r.Key, r.Partial = failingKey(ops, info)
	}
	return r, nil
}

// failingKey finds the first key (in key order) whose longest partial
// linearization does not cover its sub-history.
func failingKey(ops []porcupine.Operation, info porcupine.LinearizationInfo) (string, []int) {
	parts := model.PartitionByKey(ops)
	partials := info.PartialLinearizationsOperations()
	for i, part := range parts {
		if i >= len(partials) {
			break
		}
		longest := []porcupine.Operation(nil)
		for _, p := range partials[i] {
			if len(p) > len(longest) {
				longest = p
			}
		}
		if len(longest) < len(part) {
			idx := make([]int, len(longest))
			for j, op := range longest {
				idx[j] = op.Metadata.(int)
			}
			return part[0].Input.(model.Input).Key, idx
		}
	}
	return "", nil
}

// WriteHTML writes porcupine's interactive visualization of the checked
// history. It needs the Result of a completed check.
func (r Result) WriteHTML(w io.Writer) error {
	return porcupine.Visualize(model.Porcupine(), r.info, w)
}
