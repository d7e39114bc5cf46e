package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/casimlab/casim/mutate"
	"github.com/casimlab/casim/protocol"
)

// cmdMutate: casim mutate --protocol P [--seeds N] [--json]. The logic is
// in package mutate; this prints it.
func cmdMutate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mutate", "--protocol P [--seeds N] [--at file:line,...] [--workers W] [--src DIR] [--json]", stderr)
	proto := fs.String("protocol", defaultProtocol, "protocol whose package is mutated (see casim protocols)")
	seeds := fs.Int("seeds", 200, "seeds of the default sweep each mutant runs (it stops at the first failure)")
	workers := fs.Int("workers", 1, "mutants built and swept at once, each in its own copy of the module")
	src := fs.String("src", "", "the casim source tree (default: found from the working directory)")
	timeout := fs.Duration("timeout", 2*time.Minute, "longest sweep of one mutant; past it the mutant counts as killed")
	asJSON := fs.Bool("json", false, "a JSON line per mutant, then a summary line")
	at := fs.String("at", "", "only the mutants at these places, `file:line,...` (file within the package): sweep survivors again")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	if _, err := protocol.Lookup(*proto); err != nil || *seeds < 1 || *workers < 1 {
		if err == nil {
			err = fmt.Errorf("--seeds and --workers must be >= 1")
		}
		fmt.Fprintf(stderr, "casim mutate: %v\n", err)
		return exitUsage
	}
	root := *src
	if root == "" {
		wd, _ := os.Getwd()
		var err error
		if root, err = mutate.FindRoot(wd); err != nil {
			fmt.Fprintf(stderr, "casim mutate: %v\n", err)
			return exitUsage
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	enc := json.NewEncoder(stdout)
	var places []string
	if *at != "" {
		places = strings.Split(*at, ",")
	}
	sum, err := mutate.Run(ctx, mutate.Options{Root: root, Protocol: *proto, Seeds: *seeds, Workers: *workers, Timeout: *timeout, At: places,
		Each: func(r mutate.Result) {
			if *asJSON {
				enc.Encode(r)
				return
			}
			fmt.Fprintf(stdout, "%-9s %s:%d:%d  %-16s %s", r.Status, r.File, r.Line, r.Col, r.Operator, r.Change)
			if r.Detail != "" {
				fmt.Fprintf(stdout, "  (%s)", r.Detail)
			}
			fmt.Fprintln(stdout)
		}})
	switch {
	case errors.Is(err, mutate.ErrNoToolchain), errors.Is(err, mutate.ErrNoSource):
		fmt.Fprintf(stderr, "casim mutate: %v\n", err)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "casim mutate: interrupted")
	case err != nil:
		fmt.Fprintf(stderr, "casim mutate: %v\n", err)
		return exitUsage
	}
	if *asJSON {
		enc.Encode(sum)
	} else {
		fmt.Fprintf(stdout, "\n%s (%s): %d mutants, %d killed, %d survived, %d did not build; score %.0f%% (%d seeds each), %s (build %s, sweep %s)\n",
			sum.Protocol, sum.Package, sum.Mutants, sum.Killed, sum.Survived, sum.BuildFailed, 100*sum.Score, sum.Seeds,
			time.Duration(sum.WallNs).Round(time.Second), time.Duration(sum.BuildNs).Round(time.Second),
			time.Duration(sum.SweepNs).Round(time.Second))
	}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return exitOK
}
