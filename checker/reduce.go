package checker

import (
	"slices"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// Reduce returns one key's operations without the indeterminate ones that
// provably cannot change the verdict, and how many it left out. Those are
// what make porcupine's search explode: each may be placed at any point
// after its invoke, or never.
//
// Which indeterminate operations can go. Write H for the key's history and
// H' for H without one indeterminate operation u.
//
// H' linearizable ⇒ H linearizable, always: append u at the very end of a
// linearization of H'. Its return is after everything, so no real-time
// order is broken, and model.Step accepts an indeterminate operation in any
// state. So dropping u can only ever turn "ok" into "illegal"; what needs an
// argument is the other direction.
//
// H linearizable ⇒ H' linearizable holds in two cases:
//
//  1. u is a read. It changes no state; delete it from the linearization.
//  2. u writes x (a write of x, or a cas to x) and (a) no completed read
//     returned x, (b) no cas expects x, and (c) no failed compare returns
//     after u's invoke. Take a linearization L of H where u took effect,
//     and delete u. States differ only in the window from u to the next
//     operation that changes the state, and only if u took effect: in L the
//     key holds x there, in L' whatever it held before u. What can sit in
//     that window in L? A completed read would return x: excluded by (a).
//     A cas that succeeded or may succeed would need x: excluded by (b), so
//     an indeterminate cas there is a no-op in L; move it to the end of L',
//     where, as above, it is always legal and affects no one. A failed
//     compare would have to be linearized after u, so it returns after u's
//     invoke: excluded by (c). The window ends at the next write, after
//     which L and L' agree. So L' is a linearization of H'.
//
// Failed compares are the one thing an unobserved value can matter to: x
// makes "the key did not hold e" true for every e ≠ x, which is why (c) is
// needed (write 1; write 5 indeterminate; cas 1→2 fails: linearizable only
// with the write of 5).
//
// Dropping several operations is sound one at a time, and the conditions
// only get weaker as indeterminate operations go (fewer cas to expect x),
// so Reduce repeats until nothing more can be dropped. TestReduceBruteForce
// checks all of this against exhaustive search on small histories.
func Reduce(ops []porcupine.Operation) (kept []porcupine.Operation, dropped int) {
	if !slices.ContainsFunc(ops, isIndeterminate) {
		return ops, 0 // the common case: nothing to reduce, nothing to allocate
	}
	lastFailReturn := int64(-1)
	observed := map[int64]bool{}
	for _, op := range ops {
		in, out := op.Input.(model.Input), op.Output.(model.Output)
		switch {
		case in.Kind == model.Read && out.Status == model.Ok && out.Has:
			observed[out.Value] = true
		case in.Kind == model.Cas && out.Status == model.CompareFailed:
			lastFailReturn = max(lastFailReturn, op.Return)
		}
	}
	kept = ops
	for {
		expected := map[int64]bool{}
		for _, op := range kept {
			if in := op.Input.(model.Input); in.Kind == model.Cas {
				expected[in.Expected] = true
			}
		}
		next := make([]porcupine.Operation, 0, len(kept))
		for _, op := range kept {
			if !droppable(op, observed, expected, lastFailReturn) {
				next = append(next, op)
			}
		}
		if len(next) == len(kept) {
			return kept, len(ops) - len(kept)
		}
		kept = next
	}
}

func droppable(op porcupine.Operation, observed, expected map[int64]bool, lastFailReturn int64) bool {
	in, out := op.Input.(model.Input), op.Output.(model.Output)
	if out.Status != model.Unknown {
		return false
	}
	if in.Kind == model.Read {
		return true
	}
	return !observed[in.Value] && !expected[in.Value] && lastFailReturn < op.Call
}
