package sweep

import (
	"context"
	"fmt"
	"runtime"

	"github.com/casimlab/casim/sim"
)

// A run must depend on nothing but its scenario; the usual ways to break
// that are map iteration order, the wall clock, a package-level random
// source, and goroutines, and the last shows up only when the scheduler
// has more (or fewer) threads to play with. So the determinism check runs
// each seed a second time under another GOMAXPROCS and compares the trace
// hashes. A differing hash means no verdict of that build can be trusted
// or replayed.

// Mismatch is a seed whose second run differed from its first.
type Mismatch struct {
	Seed        uint64 `json:"seed"`
	Hash        string `json:"trace_hash"`
	Procs       int    `json:"gomaxprocs"`
	SecondHash  string `json:"second_trace_hash"`
	SecondProcs int    `json:"second_gomaxprocs"`
	// Replay is the command that reproduces the seed (Config.Replay).
	Replay string `json:"-"`
}

// OtherProcs is the GOMAXPROCS of a second run: different from now.
func OtherProcs() int {
	if runtime.GOMAXPROCS(0) == 1 {
		return 2
	}
	return 1
}

// WithProcs runs f under GOMAXPROCS procs, then restores the setting.
// GOMAXPROCS is process-wide: a sweep switches it once for its whole
// second pass, not per seed.
func WithProcs(procs int, f func()) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	f()
}

// Rehash runs sc again, without checking, and returns its trace hash.
func Rehash(sc sim.Scenario) (string, error) {
	res, err := sim.RunScenario(sc, sim.Options{})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%016x", res.TraceHash), nil
}

// Recheck runs sc a second time under another GOMAXPROCS and compares its
// trace hash with hash, the first run's; perturb (nil: none) changes the
// second run's scenario, for tests. It returns nil when the hashes agree.
func Recheck(sc sim.Scenario, hash string, perturb func(sim.Scenario) sim.Scenario) (*Mismatch, error) {
	if perturb != nil {
		sc = perturb(sc)
	}
	procs, second := runtime.GOMAXPROCS(0), OtherProcs()
	var again string
	var err error
	WithProcs(second, func() { again, err = Rehash(sc) })
	if err != nil || again == hash {
		return nil, err
	}
	return &Mismatch{Seed: sc.Seed, Hash: hash, Procs: procs, SecondHash: again, SecondProcs: second}, nil
}

// recheck runs seeds a second time under another GOMAXPROCS, on as many
// workers as the first pass, and returns those whose trace hash differs
// from hashes (the first pass's, in the same order), and how many seeds
// it ran (fewer when ctx ends).
func recheck(ctx context.Context, c Config, seeds Seeds, hashes []string) ([]Mismatch, int, error) {
	procs, second := runtime.GOMAXPROCS(0), OtherProcs()
	var out []Mismatch
	var n int
	var err error
	WithProcs(second, func() {
		n, err = Each(ctx, c.Workers, seeds.Len(), func(i int) (string, error) {
			seed := seeds.At(i)
			sc, err := c.Scenario(seed)
			if err != nil {
				return "", err
			}
			if c.Perturb != nil {
				sc = c.Perturb(sc)
			}
			return Rehash(sc)
		}, func(i int, hash string) {
			if hash != hashes[i] {
				m := Mismatch{Seed: seeds.At(i), Hash: hashes[i], Procs: procs, SecondHash: hash, SecondProcs: second}
				if c.Replay != nil {
					m.Replay = c.Replay(seeds.At(i))
				}
				out = append(out, m)
			}
		})
	})
	return out, n, err
}
