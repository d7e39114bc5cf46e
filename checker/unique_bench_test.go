package checker

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
)

// benchHistory is a linearizable one-key history of n operations from
// procs processes, with unique values, failed compares and reads of ∅
// (uniqueHistory without indeterminate operations, which make porcupine's
// search explode and would leave nothing to compare).
func benchHistory(n, procs int) []history.Event {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(procs)))
	return uniqueHistory(func(k int) int { return rng.IntN(k) }, genParams{procs: procs, ops: n})
}

// BenchmarkOneKey checks one key's history of 100 to 100,000 operations
// at 4, 32 and 64 processes with the unique-value check and with
// porcupine. A porcupine case is skipped when porcupine takes over 10 s
// to decide it once.
func BenchmarkOneKey(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		for _, procs := range []int{4, 32, 64} {
			var events []history.Event
			for _, alg := range []Algorithm{Unique, Porcupine} {
				b.Run(fmt.Sprintf("ops=%d/procs=%d/%s", n, procs, alg), func(b *testing.B) {
					if events == nil {
						events = benchHistory(n, procs)
					}
					opts := Options{NoWitness: true, Algorithm: alg}
					if alg == Porcupine {
						r, err := CheckWith(context.Background(), events, Options{NoWitness: true, Algorithm: alg, Budget: 10 * time.Second})
						if err != nil || r.Verdict == Unknown {
							b.Skipf("porcupine: no verdict in 10s (%v)", err)
						}
					}
					for b.Loop() {
						r, err := CheckWith(context.Background(), events, opts)
						if err != nil || r.Verdict != Linearizable {
							b.Fatalf("verdict %s (%s), %v", r.Verdict, r.AlgorithmSummary(), err)
						}
					}
				})
			}
		}
	}
}

// TestBenchHistoryIsUnique keeps the benchmark honest: its histories are
// decided by the unique-value check, and porcupine agrees on a small one.
func TestBenchHistoryIsUnique(t *testing.T) {
	events := benchHistory(1000, 64)
	ops, err := Operations(events)
	if err != nil {
		t.Fatal(err)
	}
	if out := checkUnique(ops); out.result != porcupine.Ok {
		t.Fatalf("unique: %s (%s)", out.result, out.reason)
	}
	if r, _ := CheckWith(t.Context(), benchHistory(100, 4), Options{Algorithm: Porcupine}); r.Verdict != Linearizable {
		t.Fatalf("porcupine: %s", r.Verdict)
	}
}
