package report

import (
	"fmt"
	"io"

	"github.com/casimlab/casim/checker"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/explore"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// WriteReplay writes the HTML report of a replay of casim explore's
// choices (explore.Replay of a counterexample), as WriteRun draws a run:
// porcupine's view of the failing key and the message diagram, whose
// rows are the steps of the choices. replay is the command that
// reproduces it.
func WriteReplay(w io.Writer, cfg explore.Config, r explore.Replayed, replay string) error {
	o := &sweep.Outcome{Protocol: cfg.Protocol.Name, Verdict: r.Check.Verdict, Key: r.Check.Key,
		Checker: r.Check.AlgorithmSummary(), Events: int64(len(r.Steps)), Check: r.Check,
		Result: &sim.Result{History: r.History, OpInvokes: r.OpInvokes}}
	for _, e := range r.History {
		switch e.Type {
		case history.Invoke:
			o.Ops++
		case history.Ok:
			o.OK++
		case history.Fail:
			o.Fail++
		case history.Info:
			o.Info++
		}
	}
	for _, e := range r.Events {
		if e.Kind == "send" {
			o.Messages++
		}
	}
	var sc sim.Scenario
	sc.Replicas, sc.Clients = cfg.Replicas, len(cfg.Workload)
	return WriteRun(w, Run{Outcome: o, Events: r.Events, Scenario: sc, Replay: replay, Steps: true})
}

// WriteExplore prints what casim explore found: the summary
// (explore.Result.WriteSummary), the verdict, and a counterexample's
// steps (lines, explore.Describe) and witness, with the command that
// replays it (replay; empty: none written).
func WriteExplore(w io.Writer, r explore.Result, cfg explore.Config, lines []string, replay string) {
	r.WriteSummary(w, cfg, cfg.Protocol.Name)
	fmt.Fprintf(w, "\nverdict  %s\n", r.Verdict)
	if r.Verdict != checker.Illegal {
		return
	}
	fmt.Fprintf(w, "\ncounterexample, %d steps:\n", len(lines))
	for i, l := range lines {
		fmt.Fprintf(w, "%3d  %s\n", i+1, l)
	}
	fmt.Fprintln(w)
	WriteWitness(w, r.Check)
	if replay != "" {
		fmt.Fprintf(w, "replay: %s\n", replay)
	}
}

// WriteReplayText prints a replay of casim explore's choices, as casim
// run --scenario F prints it: the model, with trace every step and its
// effects, the verdict and a violation's witness.
func WriteReplayText(w io.Writer, cfg explore.Config, r explore.Replayed, trace bool) {
	fmt.Fprintf(w, "protocol %s  replicas %d  workload %s: %d explicit choices (casim explore's model)\n",
		cfg.Protocol.Name, cfg.Replicas, explore.FormatWorkload(cfg.Workload), len(r.Steps))
	if trace {
		fmt.Fprintln(w)
		r.WriteTrace(w)
	}
	fmt.Fprintf(w, "\nverdict  %s\n", r.Check.Verdict)
	if r.Check.Verdict == checker.Illegal {
		WriteWitness(w, r.Check)
	}
}
