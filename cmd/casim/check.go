package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/report"
)

// checkStdin is what `casim check -` reads; tests replace it.
var checkStdin io.Reader = os.Stdin

// cmdCheck is `casim check [flags] FILE`: read a history in any of the
// supported formats and decide whether it is linearizable.
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "[flags] FILE   (FILE - reads standard input)", stderr)
	formatText := fs.String("format", string(history.Auto), "history `format`: auto, jsonl, edn or jepsen-log")
	budget := fs.Duration("timeout", time.Minute, "time budget for the whole check, witness included (0: none); when it runs out the verdict is unknown")
	htmlPath := fs.String("html", "", "write porcupine's visualization, witness marked, to `file`")
	asJSON := fs.Bool("json", false, "print one JSON object: verdict, key, witness")
	algText := fs.String("algorithm", string(checker.Auto), "`how` keys are checked: auto (unique where written values are unique, else porcupine), unique or porcupine")
	if code := fs.parse(args, 1); code >= 0 {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "casim check: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() != 1 {
		return fail("missing FILE (see casim check -h)")
	}
	format, ok := history.ParseFormat(*formatText)
	if !ok {
		return fail("unknown --format %q (want auto, jsonl, edn or jepsen-log)", *formatText)
	}
	if *budget < 0 {
		return fail("--timeout must be >= 0")
	}
	if err := checkWritable(*htmlPath); err != nil {
		return fail("--html: %v", err)
	}
	alg, ok := checker.ParseAlgorithm(*algText)
	if !ok {
		return fail("unknown --algorithm %q (want auto, unique or porcupine)", *algText)
	}
	path := fs.Arg(0)
	name := path
	var in io.Reader = checkStdin
	if path == "-" {
		name = "stdin"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		in = f
	}
	start := time.Now()
	events, format, err := history.Read(in, format)
	var empty *history.EmptyError
	if errors.As(err, &empty) {
		return fail("%s: %v", name, err)
	}
	if err != nil {
		return fail("%s %v", name, err) // "FILE line N: ..."
	}
	if at, latest, found := history.Backward(events); found {
		fmt.Fprintf(stderr, "casim check: note: %s line %d: time %d is earlier than line %d's %d; line order decides (times are informative)\n",
			name, at.Line, at.TimeNs, latest.Line, latest.TimeNs)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := checker.CheckWith(ctx, events, checker.Options{Budget: *budget, Algorithm: alg})
	if err != nil {
		return fail("%s: %v", name, err)
	}
	elapsed := time.Since(start)
	if *htmlPath != "" {
		if err := writeFile(*htmlPath, func(w io.Writer) error { return res.WriteHTMLReport(w, name) }); err != nil {
			return fail("--html: %v", err)
		}
	}
	run := report.CheckRun{Name: name, Format: format, Elapsed: elapsed, Budget: *budget}
	if *asJSON {
		if err := report.WriteCheckJSON(stdout, run, res); err != nil {
			return fail("%v", err)
		}
	} else {
		report.WriteCheck(stdout, run, res)
	}
	switch res.Verdict {
	case checker.Linearizable:
		return exitOK
	case checker.Illegal:
		return exitViolation
	}
	return exitUnknown
}
