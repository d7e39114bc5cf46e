package checker

import (
	"slices"
	"sort"

	"github.com/casimlab/casim/model"
)

// glue works out which chain must follow a version that ends its chain.
//
// When a failed compare F expecting a needs the version after a to begin
// before F returns (tighten), and a ends its chain X (no cas took effect
// expecting a), that version is the first write of some other chain, or
// an optional operation. The candidates are the chains whose first write
// was invoked before F returned, less those that must come before X (one
// of their operations returned before one of X's was invoked: they
// precede X and so cannot follow a). If none is left and no optional
// operation could do it, F cannot fail: a violation. If exactly one chain
// Y is left, Y must follow X directly: the two become one chain, exactly
// as if a cas had linked them, and Y's first write must take effect
// before F returns. Both are implied by F, so the check stays exact.
type glue struct {
	heads  []int // chains (not ∅'s) by the invoke of their first write
	chain  map[int64]int
	bounds []bound
	// optWrite is the earliest invoke of an optional write; optCas that
	// of an optional cas, by the value it expects.
	optWrite int64
	optCas   map[int64]int64
	next     map[int]int // chain x -> the chain that must follow it
	by       map[int]int // chain x -> the failed compare that says so
}

// newGlue needs the chains' bounds; a chain whose own order is already
// impossible is a violation.
func (u *uniqueCheck) newGlue() (*glue, uniqueOutcome, bool) {
	g := &glue{chain: map[int64]int{}, bounds: make([]bound, len(u.chains)), optWrite: Never,
		optCas: map[int64]int64{}, next: map[int]int{}, by: map[int]int{}}
	for k, chain := range u.chains {
		b, out, ok := u.chainBound(k)
		if !ok {
			return nil, out, false
		}
		g.bounds[k] = b
		if k > 0 {
			g.heads = append(g.heads, k)
		}
		for _, w := range chain {
			if w != virtualOp {
				g.chain[u.ops[w].value] = k
			}
		}
	}
	slices.SortFunc(g.heads, func(a, b int) int { return cmpInt(u.ops[u.chains[a][0]].call, u.ops[u.chains[b][0]].call) })
	for i, o := range u.ops {
		if u.taken[i] || o.status != model.Unknown {
			continue
		}
		switch o.kind {
		case model.Write:
			g.optWrite = min(g.optWrite, o.call)
		case model.Cas:
			if c, ok := g.optCas[o.expected]; !ok || o.call < c {
				g.optCas[o.expected] = o.call
			}
		}
	}
	return g, uniqueOutcome{}, true
}

// followers counts (up to 2) what could begin the version after a, the
// last of its chain, before time t: chains, or optional operations
// (counted as 2, since any number of them could). It returns the chain
// when there is exactly one. Past a few dozen chains that must come
// before a's, it gives up counting and says 2, which only forgoes a
// conclusion.
func (g *glue) followers(u *uniqueCheck, a int64, t int64) (int, int) {
	if g.optWrite < t {
		return -1, 2
	}
	if c, ok := g.optCas[a]; ok && c < t {
		return -1, 2
	}
	x := g.chain[a]
	n := sort.Search(len(g.heads), func(i int) bool { return u.ops[u.chains[g.heads[i]][0]].call >= t })
	found, count, skipped := -1, 0, 0
	for i := n - 1; i >= 0; i-- {
		y := g.heads[i]
		switch {
		case y == x:
		case g.bounds[y].f < g.bounds[x].s:
			if skipped++; skipped > 64 {
				return -1, 2
			}
		default:
			if count++; count > 1 {
				return -1, 2
			}
			found = y
		}
	}
	return found, count
}

// apply merges the glued chains. A chain that two chains must both be
// followed by, or glued chains that close a cycle, are violations.
func (u *uniqueCheck) applyGlue(g *glue) (uniqueOutcome, bool) {
	if len(g.next) == 0 {
		return uniqueOutcome{}, true
	}
	xs := make([]int, 0, len(g.next))
	for x := range g.next {
		xs = append(xs, x)
	}
	slices.Sort(xs)
	pred := map[int]int{}
	for _, x := range xs {
		y := g.next[x]
		if p, ok := pred[y]; ok {
			f1, f2 := g.by[p], g.by[x]
			return u.illegal([]int{f1, f2, u.chains[y][0]}, nil, "%s and %s each need %s to replace the value they expected before they returned; it can replace only one",
				u.describe(f1), u.describe(f2), u.describe(u.chains[y][0])), false
		}
		pred[y] = x
	}
	merged := [][]int{u.chains[0]}
	seen := make([]bool, len(u.chains))
	for k := 1; k < len(u.chains); k++ {
		if _, ok := pred[k]; ok {
			continue
		}
		chain := slices.Clone(u.chains[k])
		seen[k] = true
		for y, ok := g.next[k]; ok; y, ok = g.next[y] {
			chain = append(chain, u.chains[y]...)
			seen[y] = true
		}
		merged = append(merged, chain)
	}
	for k := 1; k < len(u.chains); k++ {
		if !seen[k] {
			var core []int
			for y := k; len(core) == 0 || y != k; y = g.next[y] {
				core = append(core, g.by[y], u.chains[y][0])
			}
			return u.illegal(core, nil, "the failed compares %s each need the next value to come from a write that the next compare needs before it: a cycle",
				u.describeAll(core)), false
		}
	}
	u.chains = merged
	return uniqueOutcome{}, true
}
