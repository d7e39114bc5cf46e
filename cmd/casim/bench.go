package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/casimlab/casim/bench"
)

func cmdBench(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench", "[--json] [--seeds N]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per benchmark")
	seeds := fs.Int("seeds", 200, "seeds per simulation benchmark")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	if *seeds < 1 {
		fmt.Fprintln(stderr, "casim bench: --seeds must be >= 1")
		return exitUsage
	}
	results, err := bench.Run(*seeds)
	if err != nil {
		fmt.Fprintf(stderr, "casim bench: %v\n", err)
		return exitUsage
	}
	for _, r := range results {
		if *asJSON {
			b, _ := json.Marshal(r)
			fmt.Fprintln(stdout, string(b))
			continue
		}
		fmt.Fprintf(stdout, "%-16s %s\n", r.Name, r.Line())
	}
	return exitOK
}
