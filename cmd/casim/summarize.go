package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/casimlab/casim/sweep"
)

// cmdSummarize reads the JSON lines of one or more `casim sweep --json`
// runs (the shards of one sweep, concatenated or as separate files) and
// prints one summary: totals, and the failing seeds with their replay
// commands.
func cmdSummarize(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("summarize", "[--json] FILE... (- for stdin)", stderr)
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	if st := fs.parse(args, 1<<30); st >= 0 {
		return st
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "casim summarize: name at least one file of sweep --json lines (- for stdin)")
		return exitUsage
	}
	merged := sweep.NewTotals()
	for _, name := range fs.Args() {
		if err := readTotals(merged, name); err != nil {
			fmt.Fprintf(stderr, "casim summarize: %v\n", err)
			return exitUsage
		}
	}
	if merged.Seeds == 0 {
		// An empty merge claims nothing: a broken pipeline or a shard
		// that never ran must not read as "no violation found".
		fmt.Fprintln(stderr, "casim summarize: no seed lines in the input: did the sweeps run with --json?")
		return exitUsage
	}
	merged.Finish()
	if *asJSON {
		b, _ := json.Marshal(merged)
		fmt.Fprintln(stdout, string(b))
	} else {
		printTotals(stdout, merged)
	}
	switch {
	case len(merged.Failing) > 0:
		return exitViolation
	case len(merged.Stuck) > 0:
		return exitStuck
	case len(merged.Unavailable) > 0:
		return exitUnavailable
	case len(merged.Unknown) > 0:
		return exitUnknown
	}
	return exitOK
}

func printTotals(w io.Writer, t *sweep.Totals) {
	fmt.Fprintf(w, "%v: %d seeds (%d..%d), %d ops (%d indeterminate), %d events, %d messages\n",
		t.Protocols, t.Seeds, t.First, t.Last, t.Ops, t.Info, t.Events, t.Messages)
	fmt.Fprintf(w, "availability %.2f%% (operations answered within their deadline), longest stall %s (seed %d)\n",
		100*t.Availability, time.Duration(t.MaxStallNs).Round(10*time.Microsecond), t.MaxStallSeed)
	if t.Missing > 0 {
		fmt.Fprintf(w, "%d seeds in that range are missing: did every shard run?\n", t.Missing)
	}
	if t.Duplicates > 0 {
		fmt.Fprintf(w, "%d seed lines appeared twice and were counted once\n", t.Duplicates)
	}
	for _, l := range []struct {
		what  string
		seeds []uint64
	}{{"unknown", t.Unknown}, {"stuck", t.Stuck}, {"unavailable", t.Unavailable}, {"failing", t.Failing}} {
		printReproduce(w, l.what+" seeds", l.seeds, func(seed uint64) string { return t.Replay(seed) })
	}
	if len(t.Failing) == 0 {
		fmt.Fprintln(w, "no violation found")
	}
}

// readTotals adds the lines of the file name (- for stdin) to t.
func readTotals(t *sweep.Totals, name string) error {
	if name == "-" {
		return t.Read(os.Stdin, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return t.Read(f, name)
}
