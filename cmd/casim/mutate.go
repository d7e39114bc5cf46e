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

	"github.com/casimlab/casim/mutate"
)

// cmdMutate: casim mutate. The logic is in package mutate; this prints it.
func cmdMutate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mutate", "--protocol P [--seeds N] [--at file:line,...] [--workers W] [--src DIR] [--json]", stderr)
	proto := fs.String("protocol", defaultProtocol, "protocol whose package is mutated (see casim protocols)")
	seeds := fs.Int("seeds", 200, "seeds of the default sweep each mutant runs (it stops at the first failure)")
	workers := fs.Int("workers", 1, "mutants built and swept at once, each in its own copy of the module")
	src := fs.String("src", "", "the casim source tree (default: found from the working directory)")
	asJSON := fs.Bool("json", false, "a JSON line per mutant, then a summary line")
	at := fs.String("at", "", "only the mutants at these places, `file:line,...` (file within the package): sweep survivors again")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	enc := json.NewEncoder(stdout)
	emit := func(v any) {
		if *asJSON {
			enc.Encode(v)
		} else {
			fmt.Fprintln(stdout, v)
		}
	}
	sum, err := mutate.Run(ctx, mutate.Options{Root: *src, Protocol: *proto, Seeds: *seeds, Workers: *workers,
		At: strings.FieldsFunc(*at, func(r rune) bool { return r == ',' }), Each: func(r mutate.Result) { emit(r) }})
	if err != nil && !errors.Is(err, context.Canceled) { // before any mutant: no go, no source, a bad flag
		fmt.Fprintf(stderr, "casim mutate: %v\n", err)
		return exitUsage
	}
	emit(sum)
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return exitOK
}
