package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/casimlab/casim/sim"
)

// --check-determinism runs each seed a second time under another
// GOMAXPROCS and compares the trace hashes. A run must depend on nothing
// but its scenario; the usual ways to break that are map iteration order,
// the wall clock, a package-level random source, and goroutines, and the
// last shows up only when the scheduler has more (or fewer) threads to
// play with. A differing hash means no verdict of that build can be
// trusted or replayed, so it outranks every verdict: exit status 5.

// exitNondeterministic is the exit status of run and sweep when
// --check-determinism finds a seed whose two runs differ.
const exitNondeterministic = 5

// perturbForTest, if set, changes the scenario of every determinism
// re-run: tests use it to inject nondeterminism and see it caught.
var perturbForTest func(sim.Scenario) sim.Scenario

// otherProcs is the GOMAXPROCS of the second run: different from now.
func otherProcs() int {
	if runtime.GOMAXPROCS(0) == 1 {
		return 2
	}
	return 1
}

// rehash runs sc again, without checking, and returns its trace hash.
func rehash(sc sim.Scenario) (string, error) {
	if perturbForTest != nil {
		sc = perturbForTest(sc)
	}
	res, err := sim.RunScenario(sc, sim.Options{})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%016x", res.TraceHash), nil
}

// withProcs runs f under GOMAXPROCS procs, then restores the setting.
// GOMAXPROCS is process-wide: a sweep switches it once for its whole
// second pass, not per seed.
func withProcs(procs int, f func()) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	f()
}

// mismatch is a seed whose second run differed from its first.
type mismatch struct {
	Seed        uint64 `json:"seed"`
	Hash        string `json:"trace_hash"`
	Procs       int    `json:"gomaxprocs"`
	SecondHash  string `json:"second_trace_hash"`
	SecondProcs int    `json:"second_gomaxprocs"`
	replayFlags string
}

func (m mismatch) print(w io.Writer, cmd string) {
	fmt.Fprintf(w, "casim %s: NONDETERMINISTIC: seed %d gave trace hash %s under GOMAXPROCS %d and %s under GOMAXPROCS %d; "+
		"the run depends on more than its scenario (map order, wall clock, global random source, goroutines?); reproduce with: casim run %s --check-determinism\n",
		cmd, m.Seed, m.Hash, m.Procs, m.SecondHash, m.SecondProcs, m.replayFlags)
}

// recheck runs the sweep's seeds a second time under another GOMAXPROCS,
// on as many workers as the first pass, and returns the seeds whose trace
// hash differs from hashes (the first pass's, by seed), in seed order.
func (sw sweeper) recheck(hashes map[uint64]string) ([]mismatch, error) {
	procs, second := runtime.GOMAXPROCS(0), otherProcs()
	type result struct {
		seed uint64
		hash string
		err  error
	}
	results := make([]result, sw.n)
	withProcs(second, func() {
		next := make(chan int)
		done := make(chan struct{})
		for range sw.workers {
			go func() {
				defer func() { done <- struct{}{} }()
				for i := range next {
					seed := sw.seeds[i]
					cfg, err := sw.flags.config(seed)
					r := result{seed: seed, err: err}
					if err == nil {
						r.hash, r.err = rehash(sim.Scenario{Config: cfg})
					}
					results[i] = r
				}
			}()
		}
		for i := range sw.n {
			next <- i
		}
		close(next)
		for range sw.workers {
			<-done
		}
	})
	var out []mismatch
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		if r.hash != hashes[r.seed] {
			out = append(out, mismatch{Seed: r.seed, Hash: hashes[r.seed], Procs: procs, SecondHash: r.hash,
				SecondProcs: second, replayFlags: sw.flags.flagsFor(r.seed)})
		}
	}
	return out, nil
}

func seedsOf(ms []mismatch) []uint64 {
	seeds := make([]uint64, len(ms))
	for i, m := range ms {
		seeds[i] = m.Seed
	}
	return seeds
}
