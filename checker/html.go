package checker

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// WriteHTML writes porcupine's interactive visualization of a completed
// check. For a violation it shows the failing key only (a large history's
// full picture would bury it) and marks the operations of the minimal
// witness with an annotation each. Indeterminate operations that Reduce left
// out are not shown. It runs porcupine's verbose search again, within what
// is left of the check's budget and at most htmlBudget: a key the
// unique-value check decided in milliseconds can take porcupine far longer,
// and then the picture shows how far porcupine got.
func (r Result) WriteHTML(w io.Writer) error {
	return r.writeHTML(w)
}

// WriteHTMLReport is WriteHTML as a page of its own: titled with the
// history's name (a file name) and the verdict, which also head the page.
func (r Result) WriteHTMLReport(w io.Writer, name string) error {
	var b bytes.Buffer
	if err := r.writeHTML(&b); err != nil {
		return err
	}
	verdict := "linearizable"
	switch r.Verdict {
	case Illegal:
		verdict = "NOT linearizable: " + model.KeyPhrase(r.Key)
	case Unknown:
		verdict = "unknown (the time budget ran out)"
	}
	title := html.EscapeString("casim check: " + name + ": " + verdict)
	page := strings.Replace(b.String(), "<title>Porcupine</title>", "<title>"+title+"</title>", 1)
	header := fmt.Sprintf(`<h1 style="font: bold 16px sans-serif; margin: 8px 0">%s</h1>
    <p style="font: 13px sans-serif; margin: 0 0 8px">%s</p>`, title,
		html.EscapeString(fmt.Sprintf("%d operations on %d keys; porcupine's view below", r.Ops, r.Keys)))
	page = strings.Replace(page, "<body>", "<body>\n    "+header, 1)
	_, err := io.WriteString(w, page)
	return err
}

func (r Result) writeHTML(w io.Writer) error {
	var ops []porcupine.Operation
	if r.failing >= 0 {
		ops = r.kept[r.failing]
	} else {
		for _, k := range r.kept {
			ops = append(ops, k...)
		}
	}
	timeout := htmlBudget
	if !r.deadline.IsZero() {
		timeout = min(max(time.Until(r.deadline), time.Second), htmlBudget)
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
			Description:     model.Describe(op.Input, op.Output),
			Details:         fmt.Sprintf("witness %d/%d%s: part of a minimal sub-history of %s that is not linearizable", i+1, len(r.Witness), lineNote(op.Line), model.KeyPhrase(r.Key)),
			BackgroundColor: "#f6c4c4",
		})
	}
	info.AddAnnotations(notes)
	return porcupine.Visualize(m, info, w)
}

func lineNote(line int) string {
	if line <= 0 {
		return ""
	}
	return " (line " + strconv.Itoa(line) + ")"
}

// htmlBudget bounds porcupine's search for the visualization.
const htmlBudget = 10 * time.Second
