package checker_test

import (
	"testing"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/protocol"
	_ "github.com/casimlab/casim/protocol/all" // register every protocol
	"github.com/casimlab/casim/sim"
)

// TestUniqueAgreesOnProtocolRuns cross-checks on casim's own histories:
// for every registered protocol and broken variant, seeds of the default
// scenario get the same verdict under auto (the unique-value check where
// it decides) as under porcupine, and auto decides most keys itself.
func TestUniqueAgreesOnProtocolRuns(t *testing.T) {
	seeds := uint64(25)
	if testing.Short() {
		seeds = 4
	}
	keys, unique, illegal := 0, 0, 0
	for _, p := range protocol.All() {
		for run := uint64(0); run < 2*seeds; run++ {
			// The classic profile (every value new: the unique check's
			// ground, counted for the sample's strength) and the default
			// sweep's mixture (values recur in half its seeds: the unique
			// check must step aside there and still agree).
			seed, classic := run/2+1, run%2 == 0
			cfg, err := sim.ProtocolDefault(p.Name, seed)
			if classic {
				cfg = sim.DefaultConfig(p.Name, seed)
			}
			if err != nil {
				t.Fatal(err)
			}
			res, err := sim.Run(cfg, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := checker.CheckWith(t.Context(), res.History, checker.Options{NoWitness: true, Algorithm: checker.Porcupine, Budget: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if want.Verdict == checker.Unknown {
				continue
			}
			got, err := checker.CheckWith(t.Context(), res.History, checker.Options{NoWitness: true})
			if err != nil {
				t.Fatal(err)
			}
			if got.Verdict != want.Verdict || got.Key != want.Key {
				t.Errorf("%s seed %d: auto says %s (key %q), porcupine %s (key %q); replay: casim run --protocol %s --seed %d",
					p.Name, seed, got.Verdict, got.Key, want.Verdict, want.Key, p.Name, seed)
			}
			if got.Verdict == checker.Illegal {
				illegal++
			}
			if !classic {
				continue
			}
			for _, k := range got.KeyChecks {
				keys++
				if k.Algorithm == checker.Unique {
					unique++
				}
			}
		}
	}
	t.Logf("%d of %d keys decided by unique; %d illegal runs", unique, keys, illegal)
	if illegal == 0 || unique < keys*9/10 {
		t.Fatalf("weak sample: %d of %d keys by unique, %d illegal runs", unique, keys, illegal)
	}
}
