package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// The HTML report of `casim run --html` joins what a person needs to see
// a violation in one file that opens anywhere, offline: porcupine's
// linearization view of the failing key, the message diagram with the
// violation's operations highlighted, and the faults on the same
// timeline. Everything is inline (no scripts or styles fetched), and the
// same run gives the same file byte for byte, except the wall time.

//go:embed run.html.tmpl
var reportTemplateText string

var reportTemplate = template.Must(template.New("report").Parse(reportTemplateText))

// report is what the template fills in.
type report struct {
	Protocol string
	Seed     uint64
	// Run names the run in the title: "seed N", or a counterexample.
	Run     string
	Verdict string
	Key     string
	Replay  string
	Summary string
	Stuck   string
	Marked  []opMark
	// HasContext: some marked operations are context, not witness.
	HasContext bool
	Faults     []faultRow
	Diagram    diagram
	// Linearization is porcupine's own page, shown in an iframe.
	Linearization string
}

type faultRow struct {
	Label, Kind, Start, End, Targets string
}

// Run is the finished run a report is about.
type Run struct {
	// Outcome is the run and its check (sweep.Simulate, with a witness).
	Outcome *sweep.Outcome
	// Events are the run's trace (sim.Options.Observe collects them).
	Events   []sim.TraceEvent
	Scenario sim.Scenario
	// Replay is the command that reproduces the run.
	Replay string
	// Steps: the events' AtNs count steps, not nanoseconds (a replay of
	// casim explore's choices, explore.Replayed.Events); the diagram's
	// rows are labelled as steps.
	Steps bool
}

// WriteRun writes the HTML report of a run: porcupine's linearization
// view of the failing key, the message diagram with the violation's
// operations highlighted, and the faults on the same timeline.
func WriteRun(w io.Writer, in Run) error {
	r, err := buildReport(in)
	if err != nil {
		return err
	}
	return reportTemplate.Execute(w, r)
}

func buildReport(in Run) (report, error) {
	o, res := in.Outcome, in.Outcome.Result
	marks := markOps(res, o.Check)
	r := report{Protocol: o.Protocol, Seed: o.Seed, Verdict: string(o.Verdict), Key: o.Key, Replay: in.Replay,
		Stuck: o.Stuck, Marked: marks.list,
		Summary: fmt.Sprintf("%d ops (ok %d, fail %d, indeterminate %d), %d messages, %d events, %s simulated, trace hash %s",
			o.Ops, o.OK, o.Fail, o.Info, o.Messages, o.Events, time.Duration(o.SimNs), o.TraceHash),
		Run: fmt.Sprintf("seed %d", o.Seed)}
	if in.Steps {
		r.Run = fmt.Sprintf("counterexample of casim explore, %d steps", o.Events)
		r.Summary = fmt.Sprintf("%d ops (ok %d, fail %d, indeterminate %d), %d messages, %d steps of casim explore's choices (casim run --scenario F --trace prints them)",
			o.Ops, o.OK, o.Fail, o.Info, o.Messages, o.Events)
	}
	for _, m := range marks.list {
		r.HasContext = r.HasContext || !m.Witness
	}
	for i, f := range res.Schedule {
		r.Faults = append(r.Faults, faultRow{Label: fmt.Sprintf("F%d", i+1), Kind: string(f.Kind),
			Start: fmtMs(f.StartNs), End: fmtMs(f.EndNs), Targets: f.Describe()})
	}
	var lin bytes.Buffer
	if err := o.Check.WriteHTML(&lin); err != nil {
		return r, fmt.Errorf("linearization view: %w", err)
	}
	r.Linearization = lin.String()
	r.Diagram = diagramFor(in, marks).build()
	return r, nil
}

// diagramFor chooses what the diagram draws. For a violation: the events
// of the failing key's operations, from the first invoke to the last
// completion of the witness and its context, and the faults. Otherwise
// the whole run (up to maxDiagRows instants).
func diagramFor(in Run, marks opMarks) diagramInput {
	res := in.Outcome.Result
	d := diagramInput{events: in.Events, replicas: in.Scenario.Replicas, clients: in.Scenario.Clients,
		schedule: res.Schedule, marks: marks, toNs: -1, steps: in.Steps,
		note: "No violation: the whole run is drawn."}
	if in.Outcome.Verdict != checker.Illegal || len(marks.list) == 0 {
		return d
	}
	key := in.Outcome.Key
	opKey := func(op int) string { return res.History[res.OpInvokes[op]].Key }
	d.fromNs, d.toNs = -1, -1
	for _, e := range in.Events {
		if marks.of(e.Op).Tag == "" {
			continue
		}
		if d.fromNs < 0 {
			d.fromNs = e.AtNs
		}
		d.toNs = e.AtNs
	}
	d.keep = func(e sim.TraceEvent) bool {
		if e.Op < 0 {
			return e.Kind == "fault" || e.Kind == "crash" || e.Kind == "restart"
		}
		return opKey(e.Op) == key
	}
	d.note = fmt.Sprintf("Drawn: the events of key %s's operations from the first event of the witness and its context to the last (%s–%s), and the faults.",
		key, d.rowText(d.fromNs), d.rowText(d.toNs))
	if in.Steps {
		d.note += " Rows are the steps of casim explore's choices, in order."
	}
	return d
}
