// Command casim runs deterministic simulations of replicated key-value
// protocols and checks their histories for linearizability.
//
// Every subcommand exits 0 when no violation is found, 1 on a violation, 2
// on a usage or input error, 3 when the verdict is unknown, 4 when a run
// is stuck (its liveness phase failed), 5 when --check-determinism finds
// a seed whose two runs differ, and 6 when a run is unavailable (an
// operation invoked after the faults healed failed definitely). A sweep
// stopped by Ctrl-C exits 130 after printing the summary of the seeds
// that ran.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// Exit statuses shared by every subcommand.
const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
	exitUnknown   = 3
	exitStuck     = 4
	// exitUnavailable (6) follows exitNondeterministic (5, determinism.go).
	exitUnavailable = 6
	// exitInterrupted is a sweep stopped by Ctrl-C (128 + SIGINT, as a
	// shell reports it): its summary covers only the seeds that ran, so
	// no verdict is claimed.
	exitInterrupted = 130
)

// command is one subcommand: it parses its own flags from args and returns
// the exit status. It writes results to stdout and diagnostics to stderr.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "run one seed and check its history", cmdRun},
		{"sweep", "run a range of seeds in parallel", cmdSweep},
		{"compare", "compare protocols' latency, cost and availability on the same seeds", cmdCompare},
		{"summarize", "merge the JSON lines of sweeps (shards) into one summary", cmdSummarize},
		{"shrink", "reduce a failing seed or scenario to a minimal scenario", cmdShrink},
		{"explore", "search every order of events of a small configuration", cmdExplore},
		{"check", "check a history file for linearizability", cmdCheck},
		{"protocols", "list the protocols and variants", cmdProtocols},
		{"bench", "measure the simulator and the checker on this machine", cmdBench},
	}
}

func main() {
	if os.Getenv("GOGC") == "" {
		// A run allocates a little under a megabyte and keeps none of it:
		// collecting less often is nearly free in memory, and with two
		// workers it lifts sweep throughput by about a third (casim bench:
		// 582 → 799 seeds/s on a 2-core machine).
		debug.SetGCPercent(400)
	}
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		// Starting a 1000-seed sweep unasked surprises; say what there is.
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) == 2 && args[0] == "help" {
			// casim help run is casim run -h.
			args = []string{args[1], "-h"}
			break
		}
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "casim: unknown command %q (try casim help)\n", args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "casim: deterministic simulation and linearizability checking of replicated key-value protocols")
	fmt.Fprintln(w, "\nUsage: casim <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun casim <command> -h for a command's flags.")
	fmt.Fprintln(w, "Exit status: 0 no violation, 1 violation, 2 usage or input error, 3 unknown, 4 stuck, 5 nondeterministic,\n6 unavailable, 130 interrupted (a sweep stopped by Ctrl-C).")
}
