package checker

import (
	"slices"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// minimize shrinks an illegal single-key history to a 1-minimal witness: a
// sub-history that cannot be linearized whatever value the key starts
// with, empty or any value that a left-out operation writes, and that loses
// this property when any one of its operations is removed. Every operation
// in it matters, which is what makes it readable.
//
// Why the free starting value: plain "still illegal" would shrink most
// violations to one phantom operation (without its write, a read of 1 or a
// cas from 1 is illegal on its own). Letting the key start with whatever
// the removed operations could have left keeps the write that matters, or
// drops it only when the violation does not depend on it (two cas from 1
// that both succeed are illegal from any start).
//
// It runs in three steps, cheapest first:
//
//  1. Try dropping every indeterminate operation at once. Under a fixed
//     start this always keeps the history illegal (see Reduce); under a
//     free start it usually does, and without them the search is fast.
//  2. Find a short illegal prefix (operations by invoke order) by binary
//     search. Illegality is not monotone in the prefix, so this is only a
//     quick start: the search keeps an illegal prefix at every step.
//  3. Delta debugging (Zeller's ddmin, complements only): remove chunks of
//     halving size while the rest stays illegal.
//
// If stop fires, minimize returns the smallest illegal history found so
// far and done=false.
func minimize(ops []porcupine.Operation, stop stopper) (witness []porcupine.Operation, done bool) {
	illegal := func(h []porcupine.Operation) bool { return illegalFromAnyStart(h, ops, stop) }
	cur := ops
	if known := slices.DeleteFunc(slices.Clone(ops), isIndeterminate); illegal(known) {
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

// illegalFromAnyStart says whether the sub-history w of all is illegal for
// every starting state of its key: empty, or a value written by an
// operation of all that is not in w. Values that w never reads or expects
// are interchangeable, so one stands for all of them.
func illegalFromAnyStart(w, all []porcupine.Operation, stop stopper) bool {
	if len(w) == 0 {
		return false
	}
	in := make(map[int]bool, len(w))
	relevant := map[int64]bool{}
	for _, op := range w {
		in[op.Metadata.(int)] = true
		i, o := op.Input.(model.Input), op.Output.(model.Output)
		switch {
		case i.Kind == model.Read && o.Has:
			relevant[o.Value] = true
		case i.Kind == model.Cas:
			relevant[i.Expected] = true
		}
	}
	starts := []model.State{{}}
	seen := map[int64]bool{}
	other := false
	for _, op := range all {
		i := op.Input.(model.Input)
		if in[op.Metadata.(int)] || i.Kind == model.Read || seen[i.Value] {
			continue
		}
		seen[i.Value] = true
		if relevant[i.Value] || !other {
			other = other || !relevant[i.Value]
			starts = append(starts, model.State{Has: true, Value: i.Value})
		}
	}
	for _, s := range starts {
		if searchFrom(w, stop, s) != porcupine.Illegal {
			return false
		}
	}
	return true
}
