package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

const compareSynopsis = `--protocols P,P,... [flags]

Runs the same seeds, scenarios and faults for each protocol and prints one
table per scenario: per protocol and operation type, simulated latency
p50/p99/p99.9 of the operations answered ok, messages and round trips per
operation (round trips: the most common path of operations answered on
their first attempt), the share of operations ok (a cas whose compare
failed counts as answered), failed (did not take effect) and
indeterminate, and the seeds whose history is not linearizable.

A protocol entry may carry its own options: caspaxos:one-round-trip=on.
--hedge and --skews run every entry once per value.

`

func cmdCompare(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("compare", compareSynopsis+scenarioSetHelp(), stderr)
	protocols := fs.String("protocols", "paxos,caspaxos,abd,lww", "protocols to compare, `name[:opt=value...],...`")
	optText := fs.String("opt", "", "protocol options `name=value,...` for every protocol that has them")
	faults := fs.String("faults", "", "fault settings by name, after each scenario's own (--faults help lists them)")
	set := fs.String("scenario-set", "", "run under each scenario of a named `set` (standard), or the scenarios of it named in a list")
	hedges := fs.String("hedge", "", "run each protocol once per client hedging mode in the `list` (off,fixed,p99)")
	skews := fs.String("skews", "", "run each protocol once per clock skew in the `list` (e.g. 0,100us,1ms,10ms)")
	seeds := fs.Int("seeds", 100, "seeds per protocol and scenario")
	start := fs.Uint64("start", 1, "first seed")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "runs in parallel (each run is single-threaded)")
	var sz compareSizes
	fs.IntVar(&sz.clients, "clients", 0, "clients (0: the default scenario's)")
	fs.IntVar(&sz.keys, "keys", 0, "keys (0: the default scenario's)")
	fs.IntVar(&sz.ops, "ops", 0, "operations per client (0: the default scenario's)")
	budget := fs.Duration("timeout", 30*time.Second, "time budget for checking each run's history (0: none)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of tables")
	asCSV := fs.Bool("csv", false, "print CSV, one line per scenario, protocol and operation type")
	htmlPath := fs.String("html", "", "also write a self-contained HTML report with charts to `file`")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	if *faults == "help" {
		fmt.Fprintln(stdout, "--faults takes "+sim.FaultSpecHelp)
		return exitOK
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "casim compare: %v\n", err)
		return exitUsage
	}
	configs, err := parseCompareConfigs(*protocols, *optText, *hedges, *skews)
	if err != nil {
		return fail(err)
	}
	scenarios, err := compareScenarios(*set, *faults)
	if err != nil {
		return fail(err)
	}
	switch {
	case *seeds < 1 || *workers < 1:
		return fail(fmt.Errorf("--seeds and --workers must be >= 1"))
	case sz.clients < 0 || sz.keys < 0 || sz.ops < 0:
		return fail(fmt.Errorf("--clients, --keys and --ops must be >= 0"))
	case *asJSON && *asCSV:
		return fail(fmt.Errorf("--json and --csv exclude each other"))
	case *budget < 0:
		return fail(fmt.Errorf("the check's time budget must be >= 0"))
	}
	c := comparison{Start: *start, Seeds: *seeds, sizes: sz, budget: *budget, workers: *workers}
	for _, sc := range scenarios {
		for _, cf := range configs {
			// Every setting is checked once, before any run.
			if _, err := cf.config(sc, sz, *start); err != nil {
				return fail(err)
			}
			c.groups = append(c.groups, &compareGroup{scenario: sc, config: cf})
		}
	}
	c.Scenarios = scenarios
	progress := func(done, total int) {}
	if isTerminal(stderr) {
		progress = func(done, total int) { fmt.Fprintf(stderr, "\r%d/%d runs", done, total) }
	}
	if err := c.run(progress); err != nil {
		return fail(err)
	}
	if isTerminal(stderr) {
		fmt.Fprint(stderr, "\r\033[K")
	}
	switch {
	case *asJSON:
		err = c.writeJSON(stdout)
	case *asCSV:
		err = c.writeCSV(stdout)
	default:
		c.print(stdout)
	}
	if err == nil && *htmlPath != "" {
		err = writeFile(*htmlPath, c.writeHTML)
	}
	if err != nil {
		return fail(err)
	}
	return c.exitStatus()
}

// exitStatus follows casim's convention (see main.go), over every run:
// a violation anywhere outranks a stuck run, which outranks an
// undecided check.
func (c *comparison) exitStatus() int {
	st := exitOK
	for _, g := range c.groups {
		switch {
		case len(g.violations) > 0:
			return exitViolation
		case len(g.stuck) > 0:
			st = exitStuck
		case len(g.unknown) > 0 && st == exitOK:
			st = exitUnknown
		}
	}
	return st
}

// comparison is one compare invocation: its groups (scenario × contender)
// in the order they are printed.
type comparison struct {
	Start     uint64            `json:"start"`
	Seeds     int               `json:"seeds"`
	Scenarios []compareScenario `json:"scenarios"`
	groups    []*compareGroup
	sizes     compareSizes
	budget    time.Duration
	workers   int
}

// run runs every seed of every group on parallel workers. Each worker
// reduces its run to runFigures before handing it over.
func (c *comparison) run(progress func(done, total int)) error {
	type job struct {
		group int
		seed  uint64
	}
	var jobs []job
	for gi := range c.groups {
		for i := range c.Seeds {
			jobs = append(jobs, job{gi, c.Start + uint64(i)})
		}
	}
	_, err := sweep.Each(context.Background(), c.workers, jobs, func(j job) (runFigures, error) {
		g := c.groups[j.group]
		cfg, err := g.config.config(g.scenario, c.sizes, j.seed)
		var o *sweep.Outcome
		if err == nil {
			o, err = sweep.Simulate(sim.Scenario{Config: cfg}, sim.Options{}, c.budget, false)
		}
		if err != nil {
			return runFigures{}, fmt.Errorf("%s under %s: %w", g.config.Label, g.scenario.Name, err)
		}
		return figuresOf(j.group, o), nil
	}, func(i int, rf runFigures) {
		c.groups[rf.group].add(&rf)
		progress(i+1, len(jobs))
	})
	for _, g := range c.groups {
		g.finish()
	}
	return err
}
