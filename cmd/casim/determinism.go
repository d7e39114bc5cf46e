package main

import (
	"fmt"
	"io"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// --check-determinism runs each seed a second time under another
// GOMAXPROCS and compares the trace hashes (see package sweep). A
// differing hash means no verdict of that build can be trusted or
// replayed, so it outranks every verdict: exit status 5.

// exitNondeterministic is the exit status of run and sweep when
// --check-determinism finds a seed whose two runs differ.
const exitNondeterministic = 5

// perturbForTest, if set, changes the scenario of every determinism
// re-run: tests use it to inject nondeterminism and see it caught.
var perturbForTest func(sim.Scenario) sim.Scenario

func printMismatch(w io.Writer, m sweep.Mismatch, cmd string) {
	fmt.Fprintf(w, "casim %s: NONDETERMINISTIC: seed %d gave trace hash %s under GOMAXPROCS %d and %s under GOMAXPROCS %d; "+
		"the run depends on more than its scenario (map order, wall clock, global random source, goroutines?); reproduce with: %s --check-determinism\n",
		cmd, m.Seed, m.Hash, m.Procs, m.SecondHash, m.SecondProcs, m.Replay)
}

func seedsOf(ms []sweep.Mismatch) []uint64 {
	seeds := make([]uint64, len(ms))
	for i, m := range ms {
		seeds[i] = m.Seed
	}
	return seeds
}
