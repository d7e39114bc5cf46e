package checker

import (
	"fmt"
	"math"
	"slices"

	"github.com/anishathalye/porcupine"

	"github.com/casimlab/casim/model"
)

// bound is a group's or a chain's latest invoke s and earliest return f,
// with the operations that attain them (see checkUnique).
type bound struct {
	s, f     int64
	sOp, fOp int
}

// readsAt is the reads of the version writer w creates.
func (u *uniqueCheck) readsAt(w int) []int {
	if w == virtualOp {
		return u.empty
	}
	return u.readsOf[u.ops[w].value]
}

// versionWriter is the writer of the version operation i belongs to.
func (u *uniqueCheck) versionWriter(i int) int {
	if i == virtualOp {
		return virtualOp
	}
	o := u.ops[i]
	switch {
	case o.kind != model.Read:
		return i
	case !o.has:
		return virtualOp
	}
	return u.writer[o.value]
}

// chainBound checks that chain k's groups, in their fixed order, leave no
// operation returning before an operation of an earlier group is invoked,
// and returns the chain's bound.
func (u *uniqueCheck) chainBound(k int) (bound, uniqueOutcome, bool) {
	b := bound{s: math.MinInt64, f: math.MaxInt64, sOp: virtualOp, fOp: virtualOp}
	var one [1]int
	for _, w := range u.chains[k] {
		one[0] = w
		for _, g := range [2][]int{one[:], u.readsAt(w)} {
			for _, i := range g {
				if u.ret(i) < b.s {
					return b, u.chainConflict(k, i, b.sOp), false
				}
			}
			for _, i := range g {
				if c := u.call(i); c > b.s {
					b.s, b.sOp = c, i
				}
				if r := u.ret(i); r < b.f {
					b.f, b.fOp = r, i
				}
			}
		}
	}
	return b, uniqueOutcome{}, true
}

// chainConflict: in chain k, operation late returned before operation
// early was invoked, though the chain puts early's group first.
func (u *uniqueCheck) chainConflict(k, late, early int) uniqueOutcome {
	why := "it reads the value that one writes"
	if u.versionWriter(late) != u.versionWriter(early) || u.ops[late].kind != model.Read {
		why = fmt.Sprintf("the cas operations put %s after %s", u.valueName(late), u.valueName(early))
	}
	core := append([]int{late, early}, u.span(k, late, early)...)
	return u.illegal(core, nil, "%s ended before %s began, but must take effect after it: %s",
		u.describe(late), u.describe(early), why)
}

// span is the writers of chain k from the version of a to that of b.
func (u *uniqueCheck) span(k, a, b int) []int {
	chain := u.chains[k]
	i, j := slices.Index(chain, u.versionWriter(a)), slices.Index(chain, u.versionWriter(b))
	if i > j {
		i, j = j, i
	}
	var out []int
	for _, w := range chain[max(i, 0) : j+1] {
		if w != virtualOp {
			out = append(out, w)
		}
	}
	return out
}

// order puts the chains in a valid sequence (Kahn's algorithm, see
// checkUnique) and then places the failed compares. Any source Kahn's
// algorithm takes keeps the order valid, but the failed compares may fit
// one order and not another; two natural preferences are tried, the
// source invoked earliest (least s) and the one that returned earliest
// (least f).
func (u *uniqueCheck) order() uniqueOutcome {
	n := len(u.chains)
	bounds := make([]bound, n)
	for k := range u.chains {
		b, out, ok := u.chainBound(k)
		if !ok {
			return out
		}
		bounds[k] = b
	}
	byF, byS := make([]int, n), make([]int, n)
	for k := range n {
		byF[k], byS[k] = k, k
	}
	// Ties (only at infinity) go by chain index, so that the order, and
	// so the witness, is the same on every run.
	slices.SortStableFunc(byF, func(a, b int) int { return cmpInt(bounds[a].f, bounds[b].f) })
	slices.SortStableFunc(byS, func(a, b int) int { return cmpInt(bounds[a].s, bounds[b].s) })
	order, m, m2 := u.kahn(bounds, byF, byS, true)
	if m >= 0 {
		return u.cycle(bounds, m, m2, order)
	}
	var first []int
	for _, leastS := range []bool{true, false} {
		if !leastS {
			order, _, _ = u.kahn(bounds, byF, byS, false)
		}
		unplaced := u.repair(order, bounds)
		if len(unplaced) == 0 {
			return uniqueOutcome{result: porcupine.Ok}
		}
		if first == nil {
			first = unplaced
		}
	}
	return uniqueOutcome{result: porcupine.Unknown,
		reason: fmt.Sprintf("%d failed compares it cannot place (first: %s)", len(first), u.describe(first[0]))}
}

// kahn orders the chains, taking among the sources the one with least s
// (leastS) or least f. If the chains have no valid order, it returns the
// chains placed so far and two chains m, m2 that must each come before
// the other; else m = -1.
//
// Failed compares steer the choice among the first few sources (any
// choice keeps the order valid): a chain whose last version must be
// followed by a deadline (tighten's need) is taken early, and is followed
// by a chain whose first write was invoked before the deadline.
func (u *uniqueCheck) kahn(bounds []bound, byF, byS []int, leastS bool) (order []int, m, m2 int) {
	need := make([]int64, len(bounds))
	for k, chain := range u.chains {
		need[k] = Never
		if last := chain[len(chain)-1]; last != virtualOp {
			if d, ok := u.need[u.ops[last].value]; ok {
				need[k] = d
			}
		}
	}
	fl, sl := newList(byF), newList(byS)
	order = make([]int, 0, len(bounds))
	var sources []int
	for fl.head >= 0 {
		m := fl.head
		f2 := int64(math.MaxInt64)
		if m2 := fl.next[m]; m2 >= 0 {
			f2 = bounds[m2].f
		}
		sources = sources[:0]
		if bounds[m].s < f2 {
			sources = append(sources, m)
		}
		for y := sl.first(m); y >= 0 && bounds[y].s < bounds[m].f && len(sources) < 32; y = sl.next[y] {
			if y != m {
				sources = append(sources, y)
			}
		}
		if len(sources) == 0 {
			return order, m, fl.next[m]
		}
		pick := u.choose(sources, bounds, need, order, leastS)
		fl.remove(pick)
		sl.remove(pick)
		order = append(order, pick)
	}
	return order, -1, -1
}

// choose picks one of the sources (see kahn).
func (u *uniqueCheck) choose(sources []int, bounds []bound, need []int64, order []int, leastS bool) int {
	if len(u.need) > 0 {
		if len(order) > 0 {
			if d := need[order[len(order)-1]]; d < Never {
				var followers []int
				for _, y := range sources {
					if u.call(u.chains[y][0]) < d {
						followers = append(followers, y)
					}
				}
				if len(followers) > 0 {
					sources = followers
				}
			}
		}
		// The two earliest first writes among the sources: another
		// source can follow y in time iff the earliest other than y's
		// own was invoked before y's deadline.
		first, second := -1, -1
		for _, y := range sources {
			switch h := u.call(u.chains[y][0]); {
			case first < 0 || h < u.call(u.chains[first][0]):
				first, second = y, first
			case second < 0 || h < u.call(u.chains[second][0]):
				second = y
			}
		}
		pick, best := -1, int64(Never)
		for _, y := range sources {
			other := first
			if y == first {
				other = second
			}
			if need[y] < best && other >= 0 && u.call(u.chains[other][0]) < need[y] {
				pick, best = y, need[y]
			}
		}
		if pick >= 0 {
			return pick
		}
	}
	pick := sources[0]
	if leastS {
		for _, y := range sources[1:] {
			if bounds[y].s < bounds[pick].s {
				pick = y
			}
		}
	}
	return pick
}

// cycle reports chains m and m2 that must each come before the other.
func (u *uniqueCheck) cycle(bounds []bound, m, m2 int, placed []int) uniqueOutcome {
	a, b := bounds[m], bounds[m2]
	var core []int
	for _, i := range []int{a.fOp, b.sOp, b.fOp, a.sOp} {
		if i != virtualOp {
			core = append(core, i)
		}
	}
	core = append(core, u.span(m, a.fOp, a.sOp)...)
	core = append(core, u.span(m2, b.fOp, b.sOp)...)
	return u.illegal(core, u.linearized(placed),
		"%s ended before %s began, so %s comes before %s; but %s ended before %s began, so %s comes before %s",
		u.describe(a.fOp), u.describe(b.sOp), u.valueName(a.fOp), u.valueName(b.sOp),
		u.describe(b.fOp), u.describe(a.sOp), u.valueName(b.fOp), u.valueName(a.sOp))
}

// linearized is the operations of the given chains in the order the
// construction linearizes them.
func (u *uniqueCheck) linearized(chains []int) []int {
	var out []int
	for _, k := range chains {
		for _, w := range u.chains[k] {
			if w != virtualOp {
				out = append(out, w)
			}
			reads := slices.Clone(u.readsAt(w))
			slices.SortFunc(reads, func(a, b int) int { return cmpInt(u.ops[a].call, u.ops[b].call) })
			out = append(out, reads...)
		}
	}
	return out
}

// list is a doubly linked list of chains in a sorted order, from which
// chains are removed in any order.
type list struct {
	head       int
	next, prev []int
}

func newList(sorted []int) *list {
	l := &list{head: -1, next: make([]int, len(sorted)), prev: make([]int, len(sorted))}
	if len(sorted) > 0 {
		l.head = sorted[0]
	}
	for i, k := range sorted {
		l.prev[k], l.next[k] = -1, -1
		if i > 0 {
			l.prev[k] = sorted[i-1]
		}
		if i+1 < len(sorted) {
			l.next[k] = sorted[i+1]
		}
	}
	return l
}

// first is the first chain of the list other than skip, or -1.
func (l *list) first(skip int) int {
	k := l.head
	if k == skip && k >= 0 {
		k = l.next[k]
	}
	return k
}

func (l *list) remove(k int) {
	p, n := l.prev[k], l.next[k]
	if p >= 0 {
		l.next[p] = n
	} else {
		l.head = n
	}
	if n >= 0 {
		l.prev[n] = p
	}
}
