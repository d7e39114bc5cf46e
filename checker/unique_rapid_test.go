package checker

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"pgregory.net/rapid"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// TestUniqueAgreesWithPorcupine is the cross-check: on random one-key
// histories with unique values, up to 64 processes, indeterminate
// operations, failed compares and reads of ∅, linearizable or not, the
// unique-value check agrees with porcupine wherever it decides, and Check
// gives the same verdict under auto and porcupine. A case porcupine cannot
// decide within 200ms is skipped.
func TestUniqueAgreesWithPorcupine(t *testing.T) {
	counts := map[string]int{}
	rapid.Check(t, func(rt *rapid.T) {
		p := genParams{
			procs:   rapid.IntRange(1, 64).Draw(rt, "procs"),
			ops:     rapid.IntRange(1, 60).Draw(rt, "ops"),
			infoPct: rapid.IntRange(0, 10).Draw(rt, "infoPct"),
			mutate:  rapid.Bool().Draw(rt, "mutate"),
		}
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(rt, "seed"), 0))
		events := uniqueHistory(func(n int) int { return rng.IntN(n) }, p)
		ops, err := Operations(events)
		if err != nil {
			rt.Fatal(err)
		}
		kept, _ := Reduce(ops)
		want := porcupine.CheckOperationsTimeout(model.Porcupine(), kept, 200*time.Millisecond)
		if want == porcupine.Unknown {
			counts["porcupine undecided"]++
			rt.Skip("porcupine undecided")
		}
		out := checkUnique(kept)
		counts[string(want)+" / unique "+string(out.result)]++
		if out.result != porcupine.Unknown && out.result != want {
			rt.Fatalf("unique says %s (%s), porcupine %s\n%s", out.result, out.explain, want, eventsText(events))
		}
		auto, err := CheckWith(t.Context(), events, Options{NoWitness: true})
		if err != nil {
			rt.Fatal(err)
		}
		if (auto.Verdict == Illegal) != (want == porcupine.Illegal) || auto.Verdict == Unknown {
			rt.Fatalf("Check says %s, porcupine %s\n%s", auto.Verdict, want, eventsText(events))
		}
	})
	t.Log(counts)
	if counts["Illegal / unique Illegal"] == 0 || counts["Ok / unique Ok"] == 0 {
		t.Fatalf("weak sample: %v", counts)
	}
}

// TestUniqueWitness: where the unique-value check finds a violation, the
// witness is shrunk from its conflict, is illegal with its context by
// porcupine or exhaustive search, and is 1-minimal (checkWitness).
func TestUniqueWitness(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2))
	draw := func(n int) int { return rng.IntN(n) }
	explained := 0
	for i := range 300 {
		events := uniqueHistory(draw, genParams{procs: 1 + draw(8), ops: 1 + draw(12), infoPct: draw(20), mutate: true})
		r, err := Check(t.Context(), events, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != Illegal || r.KeyChecks[0].Algorithm != Unique {
			continue
		}
		checkWitness(t, r)
		if r.Explanation != "" {
			explained++
		}
		if t.Failed() {
			t.Fatalf("history %d:\n%s", i, eventsText(events))
		}
	}
	if explained < 50 {
		t.Fatalf("only %d witnesses explained", explained)
	}
}

var _ = history.Invoke
