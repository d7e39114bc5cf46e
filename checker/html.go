package checker

import (
	"fmt"
	"io"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// WriteHTML writes porcupine's interactive visualization of a completed
// check. For a violation it shows the failing key only (a large history's
// full picture would bury it) and marks the operations of the minimal
// witness with an annotation each. Indeterminate operations that Reduce left
// out are not shown. It runs porcupine's verbose search again, within what
// is left of the check's budget.
func (r Result) WriteHTML(w io.Writer) error {
	var ops []porcupine.Operation
	if r.failing >= 0 {
		ops = r.kept[r.failing]
	} else {
		for _, k := range r.kept {
			ops = append(ops, k...)
		}
	}
	var timeout time.Duration
	if !r.deadline.IsZero() {
		timeout = max(time.Until(r.deadline), time.Second)
	}
	m := model.Porcupine()
	_, info := porcupine.CheckOperationsVerbose(m, ops, timeout)
	var notes []porcupine.Annotation
	for i, op := range r.Witness {
		end := op.Return
		if end == Never {
			end = int64(len(r.events))
		}
		notes = append(notes, porcupine.Annotation{
			ClientId:        op.Process,
			Start:           op.Call,
			End:             end,
			Description:     fmt.Sprintf("witness %d/%d", i+1, len(r.Witness)),
			Details:         fmt.Sprintf("%s (line %d): part of a minimal sub-history of key %q that is not linearizable", model.Describe(op.Input, op.Output), op.Line, r.Key),
			BackgroundColor: "#f6c4c4",
		})
	}
	info.AddAnnotations(notes)
	return porcupine.Visualize(m, info, w)
}
