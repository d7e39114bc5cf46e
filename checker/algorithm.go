package checker

import (
	"fmt"
	"strings"

	"github.com/anishathalye/porcupine"
)

// Algorithm is how keys are checked.
type Algorithm string

const (
	// Auto checks each key with the unique-value check (checkUnique) and
	// falls back to porcupine for a key it cannot decide: one that writes
	// a value twice, or whose failed compares it cannot place.
	Auto Algorithm = "auto"
	// Unique uses the unique-value check alone; a key it cannot decide
	// is left undecided (verdict Unknown), never handed to porcupine.
	Unique Algorithm = "unique"
	// Porcupine searches every key with porcupine, as casim did before
	// the unique-value check.
	Porcupine Algorithm = "porcupine"
)

// ParseAlgorithm reads "auto", "unique" or "porcupine".
func ParseAlgorithm(s string) (Algorithm, bool) {
	switch a := Algorithm(s); a {
	case Auto, Unique, Porcupine:
		return a, true
	}
	return "", false
}

// KeyCheck says how one key was checked.
type KeyCheck struct {
	Key string
	// Algorithm is what decided the key, or tried to: Unique or
	// Porcupine.
	Algorithm Algorithm
	// Fallback says why the unique-value check did not decide the key,
	// which is why porcupine did (Auto), or why the key is undecided
	// (Unique). Empty when it decided.
	Fallback string
}

// String is "unique", "porcupine" or "porcupine (fallback: why)".
func (k KeyCheck) String() string {
	if k.Fallback == "" {
		return string(k.Algorithm)
	}
	if k.Algorithm == Unique {
		return "unique (undecided: " + k.Fallback + ")"
	}
	return string(k.Algorithm) + " (fallback: " + k.Fallback + ")"
}

// AlgorithmSummary names the algorithm used per key in one line: the
// algorithm, when every key got the same and none fell back; else how many keys each got,
// with the keys that fell back and why (up to three).
func (r Result) AlgorithmSummary() string {
	if len(r.KeyChecks) == 0 {
		return string(r.Algorithm)
	}
	if len(r.KeyChecks) == 1 {
		return r.KeyChecks[0].String()
	}
	count := map[Algorithm]int{}
	var fallbacks []string
	same := true
	for _, k := range r.KeyChecks {
		same = same && k == KeyCheck{Key: k.Key, Algorithm: r.KeyChecks[0].Algorithm}
	}
	if same {
		return string(r.KeyChecks[0].Algorithm)
	}
	for _, k := range r.KeyChecks {
		count[k.Algorithm]++
		if k.Fallback != "" {
			if len(fallbacks) < 3 {
				fallbacks = append(fallbacks, fmt.Sprintf("%q: %s", k.Key, k.Fallback))
			} else if len(fallbacks) == 3 {
				fallbacks = append(fallbacks, "…")
			}
		}
	}
	var parts []string
	for _, a := range []Algorithm{Unique, Porcupine} {
		if count[a] > 0 {
			parts = append(parts, fmt.Sprintf("%s on %d of %d keys", a, count[a], len(r.KeyChecks)))
		}
	}
	s := strings.Join(parts, ", ")
	if len(fallbacks) > 0 {
		s += " (not decided by unique: " + strings.Join(fallbacks, "; ") + ")"
	}
	return s
}

// UniqueUndecided is how many keys Algorithm Unique left undecided
// because the unique-value check could not decide them (not for want of
// time).
func (r Result) UniqueUndecided() int {
	n := 0
	for _, k := range r.KeyChecks {
		if k.Algorithm == Unique && k.Fallback != "" {
			n++
		}
	}
	return n
}

// keyResult is one key's check.
type keyResult struct {
	res   porcupine.CheckResult
	check KeyCheck
	// unique is the unique-value check's outcome when it decided.
	unique uniqueOutcome
}

// checkKey checks one key's (reduced) operations with alg.
func checkKey(ops []porcupine.Operation, alg Algorithm, stop stopper) keyResult {
	kr := keyResult{check: KeyCheck{Key: keyOf(ops), Algorithm: Porcupine}}
	if alg != Porcupine {
		kr.check.Algorithm = Unique
		if stop() {
			kr.res = porcupine.Unknown
			return kr
		}
		out := checkUnique(ops)
		if out.result != porcupine.Unknown {
			kr.res, kr.unique = out.result, out
			return kr
		}
		kr.check.Fallback = out.reason
		if alg == Unique {
			kr.res = porcupine.Unknown
			return kr
		}
		kr.check.Algorithm = Porcupine
	}
	kr.res = search(ops, stop)
	return kr
}

// oracle decides one small history for the witness search.
type oracle func(ops []porcupine.Operation, stop stopper) porcupine.CheckResult

// autoOracle is the unique-value check where it decides, else porcupine.
func autoOracle(ops []porcupine.Operation, stop stopper) porcupine.CheckResult {
	if out := checkUnique(ops); out.result != porcupine.Unknown {
		return out.result
	}
	return search(ops, stop)
}
