package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/casimlab/casim/compare"
	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
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
--hedge, --skews and --loads run every entry once per value.

`

func cmdCompare(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("compare", compareSynopsis+compare.SetHelp(), stderr)
	protocols := fs.String("protocols", "paxos,caspaxos,abd,lww", "protocols to compare, `name[:opt=value...],...`")
	optText := fs.String("opt", "", "protocol options `name=value,...` for every protocol that has them")
	faults := fs.String("faults", "", "fault `settings` by name, after each scenario's own (--faults help lists them); default: none beyond the scenario's, and without --scenario-set the default scenario, "+defaultFaults())
	set := fs.String("scenario-set", "", "run under each scenario of a named `set` (standard), or the scenarios of it named in a list")
	hedges := fs.String("hedge", "", "run each protocol once per client hedging mode in the `list` (off,fixed,p99)")
	skews := fs.String("skews", "", "run each protocol once per clock skew in the `list` (e.g. 0,100us,1ms,10ms)")
	loads := fs.String("loads", "", "run each protocol once per offered load in the `list`, in ops/s per client (0: closed loop; with --faults service=... for limited capacity), and print goodput, availability as nines, p99 and p99.9 against it")
	seeds := fs.Int("seeds", 100, "seeds per protocol and scenario")
	start := fs.Uint64("start", 1, "first seed")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "runs in parallel (each run is single-threaded)")
	var sz compare.Sizes
	fs.IntVar(&sz.Clients, "clients", 0, "clients (0: the default scenario's)")
	fs.IntVar(&sz.Keys, "keys", 0, "keys (0: the default scenario's)")
	fs.IntVar(&sz.Ops, "ops", 0, "operations per client (0: the default scenario's)")
	budget := fs.Duration("timeout", 30*time.Second, "time budget for checking each run's history (0: none)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of tables")
	asCSV := fs.Bool("csv", false, "print CSV, one line per scenario, protocol and operation type")
	htmlPath := fs.String("html", "", "also write a self-contained HTML report with charts to `file`")
	topo := fs.String("topology", "lan", "where replicas and clients run: `lan|az3|geo4|FILE` (see casim run -h)")
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
	configs, err := compare.ParseContenders(*protocols, *optText, *hedges, *skews)
	if err == nil {
		configs, err = compare.VaryLoads(configs, *loads)
	}
	if err != nil {
		return fail(err)
	}
	scenarios, err := compare.Scenarios(*set, *faults)
	if err != nil {
		return fail(err)
	}
	if sz.Topology, err = sim.LoadTopology(*topo); err != nil {
		return fail(err)
	}
	switch {
	case *seeds < 1 || *workers < 1:
		return fail(fmt.Errorf("--seeds and --workers must be >= 1"))
	case sz.Clients < 0 || sz.Keys < 0 || sz.Ops < 0:
		return fail(fmt.Errorf("--clients, --keys and --ops must be >= 0"))
	case *asJSON && *asCSV:
		return fail(fmt.Errorf("--json and --csv exclude each other"))
	case *budget < 0:
		return fail(fmt.Errorf("the check's time budget must be >= 0"))
	}
	c, err := compare.New(*start, *seeds, scenarios, configs, sz)
	if err != nil {
		return fail(err)
	}
	if err := checkWritable(*htmlPath); err != nil {
		return fail(err)
	}
	c.Budget, c.Workers = *budget, *workers
	progress := func(done, total int) {}
	if isTerminal(stderr) {
		progress = func(done, total int) { fmt.Fprintf(stderr, "\r%d/%d runs", done, total) }
	}
	if err := c.Run(context.Background(), progress); err != nil {
		return fail(err)
	}
	if isTerminal(stderr) {
		fmt.Fprint(stderr, "\r\033[K")
	}
	switch {
	case *asJSON:
		err = c.WriteJSON(stdout)
	case *asCSV:
		err = c.WriteCSV(stdout)
	default:
		report.WriteComparisonText(stdout, c)
	}
	if err == nil && *htmlPath != "" {
		err = writeFile(*htmlPath, func(w io.Writer) error { return report.WriteComparison(w, c) })
	}
	if err != nil {
		return fail(err)
	}
	return compareStatus(c)
}

// compareStatus follows casim's convention (see main.go), over every run:
// a violation anywhere outranks a stuck run, which outranks an
// undecided check.
func compareStatus(c *compare.Comparison) int {
	st := exitOK
	for _, g := range c.Groups {
		switch {
		case len(g.Violations) > 0:
			return exitViolation
		case len(g.Stuck) > 0:
			st = exitStuck
		case len(g.Unknown) > 0 && st == exitOK:
			st = exitUnknown
		}
	}
	return st
}
