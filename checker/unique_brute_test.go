package checker

import (
	"math/rand/v2"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
)

// TestUniqueBruteForce compares the unique-value check with exhaustive
// search on many small histories: where it decides, it must agree.
func TestUniqueBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	draw := func(n int) int { return rng.IntN(n) }
	decided := map[porcupine.CheckResult]int{}
	for i := range 4000 {
		p := genParams{procs: 1 + draw(5), ops: 1 + draw(7), infoPct: draw(40), mutate: draw(2) == 0}
		events := uniqueHistory(draw, p)
		if err := history.Validate(events); err != nil {
			t.Fatalf("history %d: %v", i, err)
		}
		ops, err := Operations(events)
		if err != nil {
			t.Fatal(err)
		}
		kept, _ := Reduce(ops)
		want := bruteLinearizable(ops)
		out := checkUnique(kept)
		decided[out.result]++
		if out.result == porcupine.Unknown {
			continue
		}
		if (out.result == porcupine.Ok) != want {
			t.Fatalf("history %d: unique says %s (%s), brute force linearizable=%v\n%s", i, out.result, out.explain, want, eventsText(events))
		}
	}
	t.Logf("%v", decided)
}
