package checker

import "slices"

// repair places the failed compares in the linearization built from order
// (placeFailed) and, while some do not fit, tries to make room by moving
// one chain, keeping the order valid. A failed compare expecting a, the
// last version of chain X, that does not fit needs a version to begin
// after a and before it returns: a chain Y whose first write was invoked
// before then is moved to right after X, or X to right before Y. Like the
// rest of the construction, this only ever finds linearizations; it
// returns the compares that still do not fit, after a bounded number of
// moves.
func (u *uniqueCheck) repair(order []int, bounds []bound) []int {
	unplaced := u.placeFailed(order)
	if len(unplaced) == 0 {
		return nil
	}
	chainOf := map[int64]int{} // value -> chain
	for k, chain := range u.chains {
		for _, w := range chain {
			if w != virtualOp {
				chainOf[u.ops[w].value] = k
			}
		}
	}
	for range 32 {
		moved := false
		for _, f := range unplaced {
			a := u.ops[f].expected
			x, ok := chainOf[a]
			if !ok {
				continue
			}
			if last := u.chains[x][len(u.chains[x])-1]; u.ops[last].value != a {
				continue // a's successor is a cas: no other chain can help
			}
			if next, ok := u.moveAfter(order, bounds, x, u.ops[f].ret); ok {
				if again := u.placeFailed(next); len(again) < len(unplaced) {
					order, unplaced, moved = next, again, true
					break
				}
			}
		}
		if !moved || len(unplaced) == 0 {
			return unplaced
		}
	}
	return unplaced
}

// moveAfter returns order with a chain whose first write was invoked
// before deadline brought right after chain x, or x taken right before
// such a chain, whichever first gives a valid order; candidates are tried
// latest invoked first, a few at most.
func (u *uniqueCheck) moveAfter(order []int, bounds []bound, x int, deadline int64) ([]int, bool) {
	var cands []int
	for _, y := range order {
		if y != x && y != 0 && u.ops[u.chains[y][0]].call < deadline {
			cands = append(cands, y)
		}
	}
	slices.SortFunc(cands, func(a, b int) int { return cmpInt(u.ops[u.chains[b][0]].call, u.ops[u.chains[a][0]].call) })
	for _, y := range cands[:min(len(cands), 8)] {
		for _, next := range [2][]int{moveChain(order, y, x, true), moveChain(order, x, y, false)} {
			if validOrder(next, bounds) {
				return next, true
			}
		}
	}
	return nil, false
}

// moveChain moves chain y to right after (or before) chain x.
func moveChain(order []int, y, x int, after bool) []int {
	out := make([]int, 0, len(order))
	for _, k := range order {
		switch {
		case k == y:
		case k == x && after:
			out = append(out, x, y)
		case k == x:
			out = append(out, y, x)
		default:
			out = append(out, k)
		}
	}
	return out
}

// validOrder says whether no chain's operation returns before an
// operation of an earlier chain is invoked.
func validOrder(order []int, bounds []bound) bool {
	maxS := int64(-1 << 63)
	for _, k := range order {
		if bounds[k].f < maxS {
			return false
		}
		maxS = max(maxS, bounds[k].s)
	}
	return true
}
