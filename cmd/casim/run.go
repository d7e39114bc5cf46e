package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", "[flags]", stderr)
	var sf simFlags
	sf.register(fs)
	seed := fs.Uint64("seed", 1, "the seed: it determines the faults, the workload and every random choice")
	scenarioPath := fs.String("scenario", "", "run the scenario in `file` (written by --scenario-out or casim shrink)")
	scenarioOut := fs.String("scenario-out", "", "write the run's scenario (configuration and fault schedule) to `file`")
	historyPath := fs.String("history", "", "write the history (JSON Lines) to `file`")
	htmlPath := fs.String("html", "", "write a self-contained HTML report to `file`: porcupine's linearization view, the message diagram, the faults")
	trace := fs.Bool("trace", false, "print the run as a message sequence after the check, the events of the violation's operations tagged")
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	checkDeterminism := fs.Bool("check-determinism", false, "run the seed a second time under another GOMAXPROCS; exit 5 if the trace hashes differ")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "casim run: %v\n", err)
		return exitUsage
	}
	sc, st := sf.scenarioFor(fs, "run", *scenarioPath, *seed, stdout, stderr)
	if st >= 0 {
		return st
	}
	if len(sc.Choices) > 0 {
		return runChoices(sc, choiceFlags{*trace, *asJSON, *htmlPath, *historyPath, *scenarioPath}, stdout, stderr) // explore.go
	}
	if err := checkWritable(*scenarioOut, *historyPath, *htmlPath); err != nil {
		return fail(err)
	}
	replayFlags := sf.flagsFor(*seed)
	if *scenarioPath != "" {
		replayFlags = "--scenario " + shellQuote(*scenarioPath)
	}
	if *scenarioOut != "" {
		if err := writeFile(*scenarioOut, sc.WriteJSON); err != nil {
			return fail(err)
		}
	}
	// The trace is collected and printed after the check, so that it can
	// mark the operations of the violation.
	var events []sim.TraceEvent
	opts := sim.Options{}
	if *trace || *htmlPath != "" {
		opts.Observe = func(e sim.TraceEvent) { events = append(events, e) }
	}
	if !*asJSON {
		report.WriteConfig(stdout, sc)
		if *scenarioPath != "" {
			ops, faults := sc.Size()
			fmt.Fprintf(stdout, "scenario %s: %d operations, %d faults scheduled in the file (the fault counts above apply to seed runs)\n", *scenarioPath, ops, faults)
		}
	}
	o, err := sweep.Simulate(sc, opts, sf.budget, true)
	if err != nil {
		return fail(err)
	}
	if *historyPath != "" {
		if err := writeFile(*historyPath, func(w io.Writer) error { return history.WriteJSONL(w, o.Result.History) }); err != nil {
			return fail(err)
		}
	}
	if *htmlPath != "" {
		in := report.Run{Outcome: o, Events: events, Scenario: sc, Replay: "casim run " + replayFlags}
		if err := writeFile(*htmlPath, func(w io.Writer) error { return report.WriteRun(w, in) }); err != nil {
			return fail(err)
		}
	}
	if *trace && !*asJSON {
		report.WriteTrace(stdout, events, sc.Replicas, o.Result, o.Check)
		fmt.Fprintln(stdout)
	}
	if *checkDeterminism {
		m, err := sweep.Recheck(sc, o.TraceHash, perturbForTest)
		if err != nil {
			return fail(err)
		}
		if m != nil {
			m.Replay = "casim run " + replayFlags
			printMismatch(stderr, *m, "run")
			return exitNondeterministic
		}
		if !*asJSON {
			procs, second := runtime.GOMAXPROCS(0), sweep.OtherProcs()
			defer fmt.Fprintf(stdout, "determinism: the same trace hash under GOMAXPROCS %d and %d\n", procs, second)
		}
	}
	if *asJSON {
		b, _ := json.Marshal(o)
		fmt.Fprintln(stdout, string(b))
	} else {
		report.WriteOutcome(stdout, o)
		if o.Verdict == checker.Illegal {
			report.WriteWitness(stdout, o.Check)
		}
	}
	return exitStatus(o.Verdict)
}

// readScenario reads a scenario file, naming the file in errors.
func readScenario(path string) (sim.Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return sim.Scenario{}, err
	}
	defer f.Close()
	sc, err := sim.ReadScenario(f)
	if err != nil {
		return sc, fmt.Errorf("%s: %w", path, err)
	}
	return sc, nil
}
