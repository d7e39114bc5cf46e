package checker

import (
	"slices"
	"sort"

	"github.com/casimlab/casim/model"
)

// version is one version of the constructed linearization.
type version struct {
	value  int64
	writer int
	// start is the time of the writer's point, after is the latest
	// invoke of the writer and the version's reads, latest is the
	// earliest return from the writer on (the writer's point must be
	// before it): a point just after a time t lies after an invoke at c
	// iff t >= c, and before a return at r iff t < r.
	start, after, latest int64
}

// placeFailed finds a point for every failed compare in a linearization
// built from the chain order (see checkUnique). A failed compare expecting
// a fits if a's write comes after its invoke, or the next version begins
// before its return, or a never took effect.
//
// Each write goes at the earliest point it can take, which makes every
// version end as early as it can; except that a write is delayed past the
// invoke of a failed compare expecting its value when the next version
// cannot begin before that compare returns (and the delay is possible:
// the writer and every later operation return later).
//
// When some still do not fit, the optional operations (indeterminate
// writes and cas that nothing forces) may make room: one inserted right
// after a's reads ends a's period early, and is seen by no one.
// insertOptional tries that.
//
// Whatever this builds is checked again by unplaced, so the construction
// only ever proves linearizability; a key it cannot settle goes to
// porcupine. The points it moves stay inside their operations' intervals
// and in order: a write is only delayed to a time before its latest, and
// latest never decreases along the order.
//
// It returns the failed compares it could not place.
func (u *uniqueCheck) placeFailed(order []int) []int {
	if len(u.failed) == 0 {
		return nil
	}
	var vers []version
	t := int64(-1)
	for _, k := range order {
		for _, w := range u.chains[k] {
			if w != virtualOp {
				vers = append(vers, version{value: u.ops[w].value, writer: w, start: max(t, u.ops[w].call), latest: u.ops[w].ret})
				t = max(t, u.ops[w].call)
			}
			for _, r := range u.readsAt(w) {
				t = max(t, u.ops[r].call)
				if len(vers) > 0 {
					vers[len(vers)-1].latest = min(vers[len(vers)-1].latest, u.ops[r].ret)
				}
			}
			if len(vers) > 0 {
				vers[len(vers)-1].after = t
			}
		}
	}
	for j := len(vers) - 2; j >= 0; j-- {
		vers[j].latest = min(vers[j].latest, vers[j+1].latest)
	}
	u.delayWrites(vers)
	unplaced := u.unplaced(vers)
	if len(unplaced) > 0 {
		vers = u.insertOptional(vers, unplaced)
		unplaced = u.unplaced(vers)
	}
	return unplaced
}

// replacerCalls gives, for a value a, the earliest invoke of an operation
// that could end a's period: the cas that took effect expecting a if there
// is one (nothing else can follow a then), else any plain write of another
// value that took effect or may have, or an indeterminate cas expecting a.
type replacerCalls struct {
	u          *uniqueCheck
	write1     int64 // earliest invoke of such a plain write,
	write1Val  int64 // its value,
	write2     int64 // and of one with another value
	casByValue map[int64]int64
}

func (u *uniqueCheck) replacers() replacerCalls {
	r := replacerCalls{u: u, write1: Never, write2: Never, casByValue: map[int64]int64{}}
	for i, o := range u.ops {
		switch {
		case o.kind == model.Write && (u.taken[i] || o.status == model.Unknown):
			if o.call < r.write1 {
				r.write2 = r.write1
				r.write1, r.write1Val = o.call, o.value
			} else if o.call < r.write2 {
				r.write2 = o.call
			}
		case o.kind == model.Cas && o.status == model.Unknown && !u.taken[i]:
			if c, ok := r.casByValue[o.expected]; !ok || o.call < c {
				r.casByValue[o.expected] = o.call
			}
		}
	}
	return r
}

// first is the earliest invoke of an operation that could replace a.
func (r replacerCalls) first(a int64) int64 {
	if c, ok := r.u.next[a]; ok {
		return r.u.ops[c].call
	}
	t := r.write1
	if r.write1Val == a {
		t = r.write2
	}
	if c, ok := r.casByValue[a]; ok {
		t = min(t, c)
	}
	return t
}

// delayWrites moves a version's write past the invoke of a failed compare
// expecting it, when the next version does not begin before that compare
// returns (see placeFailed). A delay pushes the versions after it later,
// which can take the room a compare expecting an earlier version had; so
// it repeats, a few times at most, until nothing moves.
func (u *uniqueCheck) delayWrites(vers []version) {
	expecting := map[int64][]int{}
	for _, i := range u.failed {
		expecting[u.ops[i].expected] = append(expecting[u.ops[i].expected], i)
	}
	for range 8 {
		moved := false
		cur := int64(-1)
		for j := range vers {
			v := &vers[j]
			v.start = max(v.start, cur)
			next := int64(Never)
			if j+1 < len(vers) {
				next = max(vers[j+1].start, v.start)
			}
			for _, i := range expecting[v.value] {
				if o := u.ops[i]; next >= o.ret && v.start < o.call && o.call < v.latest {
					v.start, moved = o.call, true
				}
			}
			v.after = max(v.after, v.start)
			cur = v.start
		}
		if !moved {
			return
		}
	}
}

// unplaced is the failed compares that find no point in vers.
func (u *uniqueCheck) unplaced(vers []version) []int {
	at := make(map[int64]int, len(vers))
	for j, v := range vers {
		at[v.value] = j
	}
	var out []int
	for _, i := range u.failed {
		o := u.ops[i]
		j, ok := at[o.expected]
		if !ok || vers[j].start >= o.call || j+1 < len(vers) && vers[j+1].start < o.ret {
			continue
		}
		out = append(out, i)
	}
	return out
}

// insertOptional inserts optional operations right after the versions
// that unplaced failed compares expect, where that ends the version before
// the compares return. An optional cas can only follow the value it
// expects; an optional write can follow any version, except one that a
// cas must follow directly. Versions go in order of their deadline, each
// taking an optional cas of its own if there is one, else a write.
func (u *uniqueCheck) insertOptional(vers []version, unplaced []int) []version {
	at := make(map[int64]int, len(vers))
	for j, v := range vers {
		at[v.value] = j
	}
	deadline := map[int]int64{} // version index -> earliest return of its unplaced compares
	for _, i := range unplaced {
		j := at[u.ops[i].expected]
		if d, ok := deadline[j]; !ok || u.ops[i].ret < d {
			deadline[j] = u.ops[i].ret
		}
	}
	need := make([]int, 0, len(deadline))
	for j := range deadline {
		need = append(need, j)
	}
	slices.Sort(need) // then by deadline, stably: the same choice on every run
	slices.SortStableFunc(need, func(a, b int) int { return cmpInt(deadline[a], deadline[b]) })
	var writes []int
	casFor := map[int64][]int{}
	for i, o := range u.ops {
		if u.taken[i] || o.status != model.Unknown || o.kind == model.Read {
			continue
		}
		if o.kind == model.Write {
			writes = append(writes, i)
		} else {
			casFor[o.expected] = append(casFor[o.expected], i)
		}
	}
	slices.SortFunc(writes, func(a, b int) int { return cmpInt(u.ops[a].call, u.ops[b].call) })
	free := newFreeList(len(writes))
	used := map[int]bool{}
	insertAfter := map[int]version{}
	for _, j := range need {
		v := vers[j]
		next := int64(Never)
		if j+1 < len(vers) {
			if u.ops[vers[j+1].writer].kind == model.Cas {
				continue // a cas must follow v directly
			}
			next = vers[j+1].start
		}
		if v.after >= deadline[j] {
			continue
		}
		// An operation invoked by v.after can go right there; a later one
		// at its invoke, which must come before the next version and the
		// deadline.
		fits := func(i int) bool {
			c := u.ops[i].call
			return !used[i] && (c <= v.after || c < next && c < deadline[j])
		}
		pick := -1
		for _, i := range casFor[v.value] {
			if fits(i) {
				pick = i
				break
			}
		}
		if pick < 0 {
			// The unused write invoked latest among those that fit: the
			// ones that fit are a prefix of writes by invoke.
			lim := max(v.after+1, min(next, deadline[j]))
			k := sort.Search(len(writes), func(k int) bool { return u.ops[writes[k]].call >= lim })
			if k = free.last(k - 1); k >= 0 {
				pick = writes[k]
				free.take(k)
			}
		}
		if pick < 0 {
			continue
		}
		used[pick] = true
		start := max(v.after, u.ops[pick].call)
		insertAfter[j] = version{value: u.ops[pick].value, writer: pick, start: start, after: start}
	}
	if len(insertAfter) == 0 {
		return vers
	}
	out := make([]version, 0, len(vers)+len(insertAfter))
	for j, v := range vers {
		out = append(out, v)
		if w, ok := insertAfter[j]; ok {
			out = append(out, w)
		}
	}
	return out
}

// freeList finds the last index at or below k not yet taken, in
// near-constant time (union-find over taken runs).
type freeList struct{ parent []int }

func newFreeList(n int) *freeList {
	f := &freeList{parent: make([]int, n)}
	for i := range f.parent {
		f.parent[i] = i
	}
	return f
}

// last is the greatest untaken index <= k, or -1.
func (f *freeList) last(k int) int {
	if k < 0 {
		return -1
	}
	root := k
	for root >= 0 && f.parent[root] != root {
		root = f.parent[root]
	}
	for k >= 0 && f.parent[k] != k { // path compression
		next := f.parent[k]
		f.parent[k] = root
		k = next
	}
	return root
}

// take marks index k taken.
func (f *freeList) take(k int) { f.parent[k] = k - 1 }
