package checker

import (
	"slices"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// minimize shrinks an illegal single-key history to a 1-minimal witness W:
// W is illegal even when every other write and cas of the history (all)
// is added back as indeterminate, free to take effect at any point after
// its invoke or never; and no operation of W can be removed, or turned
// into such a context operation, without losing that.
//
// Why the context: "W alone is illegal" would shrink most violations to
// one phantom operation (without its write, a read of 1 is illegal on its
// own), and it would not prove anything about the history. With the other
// writes added back as indeterminate, W's illegality implies the whole
// history's: restrict a linearization of the history to W and those
// writes, and it linearizes W plus context. So the witness is a genuine
// proof, and Reduce leaves only the context writes that W depends on.
//
// It runs in three steps, cheapest first:
//
//  1. Move every indeterminate operation to the context. That changes
//     nothing (they are indeterminate there too) but makes W small.
//  2. Find a short illegal prefix (operations by invoke order) by binary
//     search. Illegality is not monotone in the prefix, so this is only a
//     quick start: the search keeps an illegal prefix at every step.
//  3. Delta debugging (Zeller's ddmin, complements only): remove chunks of
//     halving size while the rest stays illegal.
//
// It starts from start, an illegal subset of all (all itself, or the
// operations the unique-value check found in conflict), and decides each
// candidate with orc. If stop fires, minimize returns the smallest illegal
// history found so far and done=false.
func minimize(start, all []porcupine.Operation, orc oracle, stop stopper) (witness []porcupine.Operation, done bool) {
	illegal := func(h []porcupine.Operation) bool { return illegalCoreWith(h, all, orc, stop) }
	cur := start
	if known := slices.DeleteFunc(slices.Clone(start), isIndeterminate); illegal(known) {
		cur = known
	}
	if stop() {
		return cur, false
	}
	slices.SortFunc(cur, func(a, b porcupine.Operation) int { return cmpInt(a.Call, b.Call) })
	lo, hi := 0, len(cur) // prefix cur[:hi] is illegal; cur[:lo] is not known to be
	for lo+1 < hi && !stop() {
		mid := (lo + hi) / 2
		if illegal(cur[:mid]) {
			hi = mid
		} else {
			lo = mid
		}
	}
	cur = cur[:hi]
	n := 2
	for len(cur) >= 2 {
		if stop() {
			return cur, false
		}
		chunk := (len(cur) + n - 1) / n
		removed := false
		for start := 0; start < len(cur); start += chunk {
			rest := slices.Concat(cur[:start], cur[min(start+chunk, len(cur)):])
			if illegal(rest) {
				cur = rest
				n = max(n-1, 2)
				removed = true
				break
			}
			if stop() {
				return cur, false
			}
		}
		if removed {
			continue
		}
		if chunk == 1 {
			break
		}
		n = min(2*n, len(cur))
	}
	return cur, !stop()
}

func isIndeterminate(op porcupine.Operation) bool {
	return op.Output.(model.Output).Status == model.Unknown
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// withContext returns w plus every other write and cas of all (not failed
// compares, not reads) as an indeterminate operation, reduced (Reduce).
func withContext(w, all []porcupine.Operation) []porcupine.Operation {
	in := make(map[int]bool, len(w))
	for _, op := range w {
		in[int(op.Call)] = true
	}
	h := slices.Clone(w)
	for _, op := range all {
		i, o := op.Input.(model.Input), op.Output.(model.Output)
		if in[int(op.Call)] || i.Kind == model.Read || o.Status == model.CompareFailed {
			continue
		}
		op.Output, op.Return = model.Output{Status: model.Unknown}, Never
		h = append(h, op)
	}
	kept, _ := Reduce(h)
	return kept
}

// illegalCore says whether w, with its context from all, is illegal,
// by porcupine.
func illegalCore(w, all []porcupine.Operation, stop stopper) bool {
	return illegalCoreWith(w, all, search, stop)
}

// illegalCoreWith is illegalCore decided by orc.
func illegalCoreWith(w, all []porcupine.Operation, orc oracle, stop stopper) bool {
	return len(w) > 0 && orc(withContext(w, all), stop) == porcupine.Illegal
}
