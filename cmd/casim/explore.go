package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/explore"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
)

// cmdExplore searches every order of events of a small configuration
// (package explore) and checks each history reached.
func cmdExplore(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explore", "--protocol P [flags]", stderr)
	proto := fs.String("protocol", defaultProtocol, "the protocol or variant to explore (casim protocols lists them)")
	opts := fs.String("opt", "", "protocol options, `name=value,...`")
	replicas := fs.Int("replicas", 3, "replicas")
	clients := fs.Int("clients", 2, "clients (with --ops; --workload sets both)")
	ops := fs.Int("ops", 1, "operations per client: client c's j-th is [write, cas, read][(c+j)%3] of those the protocol supports")
	workload := fs.String("workload", "", "each client's operations: `list` like \"write,cas;cas;read@1\" (clients split by ';', @key an index)")
	keys := fs.Int("keys", 1, "keys")
	faults := fs.String("faults", "", "the fault budget per path: `crashes=N,dups=N` (crash-restarts, duplications; loss needs none)")
	retries := fs.Int("retries", 0, "further attempts a client makes at the next coordinator after a timeout or an unknown answer")
	resolve := fs.String("resolve", "default", "resolve operations unanswered at their deadline: on, off, or the protocol's default")
	timers := fs.Bool("replica-timers", true, "let replicas' timers fire; false restricts the model to executions where no round times out")
	deadline := fs.Duration("deadline", explore.DefaultDeadlineNs, "a client's deadline per operation (0: none; it then waits for ever)")
	minLatency := fs.Duration("min-latency", explore.DefaultMinLatencyNs, "the least a message between replicas takes on the model's clock (0: no time passes between replicas; a protocol that loops on messages alone then has no end)")
	delays := fs.Int("delays", -1, "bound the search to N deviations from the default schedule (bug finding in large spaces); -1: the exact search")
	maxDepth := fs.Int("max-depth", 0, "stop at this many steps (0: no bound)")
	maxStates := fs.Int("max-states", 0, "stop at this many unique states (0: no bound)")
	maxMem := fs.Int("max-memory-mb", 2048, "bound the heap to this many MiB: the search stops when the live heap passes nine tenths of it (0: no bound)")
	timeout := fs.Duration("timeout", 0, "stop after this long (0: no bound)")
	dfs := fs.Bool("dfs", false, "depth first instead of breadth first (a counterexample is then not a shortest one)")
	symmetry := fs.Bool("symmetry", false, "explore one order of first invocation among clients with the same operations")
	sleepSets := fs.Bool("sleep-sets", true, "with no time passing (--replica-timers=false --deadline 0 --min-latency 0, no retries), take one order of deliveries to different replicas where both reach the same state (the same states, fewer steps)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	progress := fs.Bool("progress", false, "write a line per breadth-first level to stderr (depth, states so far, heap)")
	out := fs.String("out", "", "write a counterexample as a scenario `file` with its choices (replay: casim run --scenario file --trace)")
	htmlPath := fs.String("html", "", "write a counterexample's HTML report to `file`, as casim run --html draws a run (the diagram's rows are its steps)")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "casim explore: %v\n", err)
		return exitUsage
	}
	p, err := protocol.Lookup(*proto)
	if err != nil {
		return fail(err)
	}
	if *clients < 1 || *ops < 1 {
		return fail(fmt.Errorf("--clients and --ops must be at least 1, got %d and %d", *clients, *ops))
	}
	if *maxMem < 0 {
		return fail(fmt.Errorf("--max-memory-mb must not be negative, got %d", *maxMem))
	}
	cfg := explore.NewConfig(p, *clients, *ops)
	cfg.Replicas, cfg.Keys, cfg.Retries, cfg.Delays = *replicas, *keys, *retries, *delays
	cfg.Workload = explore.DefaultWorkload(p, *clients, *ops, *keys)
	if *workload != "" {
		if cfg.Workload, err = explore.ParseWorkload(*workload); err != nil {
			return fail(err)
		}
	}
	if cfg.Options, err = protocol.ParseOptions(*opts); err != nil {
		return fail(err)
	}
	if err := cfg.ApplyBudget(*faults); err != nil {
		return fail(err)
	}
	if err := cfg.ApplyResolve(*resolve); err != nil {
		return fail(err)
	}
	cfg.MaxDepth, cfg.MaxStates, cfg.Timeout, cfg.DFS, cfg.Symmetry = *maxDepth, *maxStates, *timeout, *dfs, *symmetry
	cfg.NoSleepSets = !*sleepSets
	cfg.NoReplicaTimers, cfg.DeadlineNs, cfg.MinLatencyNs = !*timers, int64(*deadline), int64(*minLatency)
	cfg.MaxMemoryBytes = uint64(*maxMem) << 20
	if *progress {
		cfg.Progress = stderr
	}
	if err := cfg.Validate(); err != nil {
		return fail(err)
	}
	if err := checkWritable(*out, *htmlPath); err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := explore.Explore(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	var lines []string
	if r.Verdict == checker.Illegal {
		if lines, err = explore.Describe(cfg, r.Path); err != nil {
			return fail(err)
		}
		if *htmlPath != "" {
			rep, err := explore.Replay(ctx, cfg, r.Path)
			if err != nil {
				return fail(err)
			}
			if err := writeChoicesHTML(*htmlPath, cfg, rep, *out); err != nil {
				return fail(err)
			}
		}
		if *out != "" {
			sc, err := explore.Scenario(cfg, r.Path)
			if err != nil {
				return fail(err)
			}
			if err := writeFile(*out, sc.WriteJSON); err != nil {
				return fail(err)
			}
		}
	}
	if *asJSON {
		b, _ := json.Marshal(map[string]any{"protocol": p.Name, "replicas": cfg.Replicas,
			"workload": explore.FormatWorkload(cfg.Workload), "states": r.States, "unique": r.Unique, "pruned": r.Pruned, "asleep": r.Slept,
			"depth": r.Depth, "states_per_s": int64(r.StatesPerSecond()), "complete": r.Complete, "stopped": r.Stopped,
			"verdict": r.Verdict, "choices": lines, "wall_ms": r.Elapsed.Milliseconds()})
		fmt.Fprintln(stdout, string(b))
	} else {
		replay := ""
		if *out != "" {
			replay = "casim run --scenario " + shellQuote(*out) + " --trace"
		}
		report.WriteExplore(stdout, r, cfg, lines, replay)
	}
	switch {
	case r.Verdict == checker.Illegal:
		return exitViolation
	case !r.Complete:
		return exitUnknown
	}
	return exitOK
}

// choiceFlags are the flags of casim run that a replay of choices takes.
type choiceFlags struct {
	trace, asJSON     bool
	html, historyPath string
	scenario          string // the scenario file's path
}

// runChoices replays a scenario of explicit choices (written by casim
// explore --out): casim run delegates to it.
func runChoices(sc sim.Scenario, f choiceFlags, stdout, stderr io.Writer) int {
	trace, asJSON := f.trace, f.asJSON
	if err := checkWritable(f.historyPath, f.html); err != nil {
		fmt.Fprintf(stderr, "casim run: %v\n", err)
		return exitUsage
	}
	cfg, path, err := explore.FromScenario(sc)
	if err != nil {
		fmt.Fprintf(stderr, "casim run: %v\n", err)
		return exitUsage
	}
	r, err := explore.Replay(context.Background(), cfg, path)
	if err != nil {
		fmt.Fprintf(stderr, "casim run: %v\n", err)
		return exitUsage
	}
	if f.historyPath != "" {
		if err := writeFile(f.historyPath, func(w io.Writer) error { return history.WriteJSONL(w, r.History) }); err != nil {
			fmt.Fprintf(stderr, "casim run: %v\n", err)
			return exitUsage
		}
	}
	if f.html != "" {
		if err := writeChoicesHTML(f.html, cfg, r, f.scenario); err != nil {
			fmt.Fprintf(stderr, "casim run: %v\n", err)
			return exitUsage
		}
	}
	if asJSON {
		b, _ := json.Marshal(map[string]any{"protocol": sc.Protocol, "steps": len(path), "verdict": r.Check.Verdict, "key": r.Check.Key})
		fmt.Fprintln(stdout, string(b))
	} else {
		report.WriteReplayText(stdout, cfg, r, trace)
	}
	return exitStatus(r.Check.Verdict)
}

// writeChoicesHTML writes the HTML report of a replay of casim explore's
// choices (report.WriteReplay), which the scenario file at scenario
// (empty: none written) replays.
func writeChoicesHTML(path string, cfg explore.Config, r explore.Replayed, scenario string) error {
	replay := "casim explore --out F writes the scenario, casim run --scenario F --trace replays it"
	if scenario != "" {
		replay = "casim run --scenario " + shellQuote(scenario) + " --trace"
	}
	return writeFile(path, func(w io.Writer) error { return report.WriteReplay(w, cfg, r, replay) })
}
