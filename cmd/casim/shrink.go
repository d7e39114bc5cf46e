package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casimlab/casim/sim/shrink"
)

func cmdShrink(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("shrink", "--protocol P --seed N | --scenario F [flags]", stderr)
	var sf simFlags
	sf.register(fs)
	seed := fs.Uint64("seed", 1, "the failing seed")
	scenarioPath := fs.String("scenario", "", "shrink the scenario in `file` instead of a seed")
	out := fs.String("out", "", "write the minimal scenario to `file` (default casim-shrunk-PROTOCOL-SEED.json)")
	budget := fs.Duration("timeout", time.Minute, "time budget for the whole shrink; the best scenario so far is kept when it ends")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "casim shrink: %v\n", err)
		return exitUsage
	}
	sc, st := sf.scenarioFor(fs, "shrink", *scenarioPath, *seed, stdout, stderr)
	if st >= 0 {
		return st
	}
	if *budget <= 0 {
		return fail(errors.New("--timeout must be > 0"))
	}
	if *out == "" {
		*out = fmt.Sprintf("casim-shrunk-%s-%d.json", strings.ReplaceAll(sc.Protocol, "/", "_"), sc.Seed)
	}
	if err := checkWritable(*out); err != nil {
		return fail(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *budget)
	defer cancel()
	opts := shrink.Options{CheckBudget: sf.budget}
	progress := isTerminal(stderr)
	if progress {
		opts.Progress = func(p shrink.Progress) {
			fmt.Fprintf(stderr, "\rshrinking: %d runs, best %d ops and %d faults", p.Runs, p.Ops, p.Faults)
		}
	}
	res, err := shrink.Shrink(ctx, sc, opts)
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	var passes shrink.ErrPasses
	if errors.As(err, &passes) {
		fmt.Fprintf(stdout, "%s seed %d does not fail (verdict %s): nothing to shrink\n", sc.Protocol, sc.Seed, passes.Verdict)
		return exitOK
	}
	if err != nil {
		return fail(err)
	}
	if err := writeFile(*out, res.Minimal.WriteJSON); err != nil {
		return fail(err)
	}
	b, a := res.Before, res.After
	fmt.Fprintf(stdout, "%s seed %d: %s\n", sc.Protocol, sc.Seed, res.Verdict)
	fmt.Fprintf(stdout, "before   %4d ops %3d faults %7d events\n", b.Ops, b.Faults, b.Events)
	fmt.Fprintf(stdout, "after    %4d ops %3d faults %7d events  (%d runs", a.Ops, a.Faults, a.Events, res.Runs)
	if !res.Complete {
		fmt.Fprintf(stdout, "; the %s budget ran out, this is the best so far", *budget)
	}
	fmt.Fprintf(stdout, ")\nwrote    %s\nreplay   casim run --scenario %s --trace\n", *out, *out)
	return exitStatus(res.Verdict)
}
