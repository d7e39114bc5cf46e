package checker

import (
	"fmt"
	"slices"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// The unique-value check decides one key's history in O(n log n) when no
// two operations write the same value, which is how casim writes. It gives
// the same verdict as porcupine or none at all (then the caller falls back
// to porcupine for that key); it never guesses.
//
// # Versions and groups
//
// With unique values, a linearization is a sequence of versions: ∅ (the
// key before any write), then the values in the order their writes took
// effect. Every operation belongs to one version: a write or cas that took
// effect to the version it creates, a read to the version it returned. A
// successful cas(a→b) names its predecessor exactly: b directly follows a.
// So the versions fall into chains, a plain write (or ∅) followed by the
// cas that expected it, the cas that expected that, and so on; and the
// version order is the chains in some order, each kept whole.
//
// Which operations took effect is mostly known. A read of v, or a
// successful cas expecting v, observes v: v's only writer took effect, and
// if that writer is an indeterminate cas, so did the writer of the value it
// expected, and so on (forced). An indeterminate write or cas that nothing
// forces is optional.
//
// Split each chain into groups, in order: {the writer of x1}, {the reads of
// x1}, {the writer of x2}, {the reads of x2}, ... (∅'s writer is a virtual
// operation before all others). For a group g let S(g) be the latest
// invoke and F(g) the earliest return among its operations (indeterminate
// operations return at infinity).
//
// # The relaxed problem, decided exactly
//
// Leave out the failed compares and the optional operations. Then the
// history is linearizable iff the groups can be put in a sequence that
// keeps each chain whole and in order and has S(g) < F(h) whenever g comes
// before h.
//
// Necessary: in a linearization, every operation of a group comes before
// every operation of a later group (reads of x lie between x's write and
// the next one), and an operation cannot be linearized before one that was
// invoked after it returned.
//
// Sufficient: place the groups in that sequence, each operation at
// max(T, its invoke) plus a little, T being the latest invoke of the
// groups before it. An operation misses its return only if some earlier
// group has an operation invoked after that return, which the condition
// excludes; the order of points respects real time because every point
// lies inside its operation's interval; the states are legal by
// construction (each cas comes right after the version it expects).
//
// Within a chain the order is fixed, so the condition is checked with a
// running maximum. Between chains, chain X must come before chain Y iff
// F(X) < S(Y) (the minimum and maximum over their groups): a graph whose
// topological orders are exactly the valid sequences. Kahn's algorithm
// finds one: with m the chain of least F and m2 the next, m is a source iff
// S(m) < F(m2), and any other chain Y is one iff S(Y) < F(m). When no
// chain is a source, m and m2 form a two-cycle (F(m) < S(m2) and
// F(m2) < S(m)): that pair of conflicting orders is the violation, and its
// four operations seed the witness. ∅'s chain has F = -∞ and comes first.
//
// The optional operations can be left out when there are no failed
// compares (Reduce's argument, for all of them at once: a linearization in
// which some took effect stays one without them, because no read, no
// successful cas and no forced cas depends on a value they wrote; and they
// can always be appended at the end).
//
// # Failed compares
//
// A failed compare expecting a is a read of "anything but a", the
// ambiguous kind of read that makes the general problem NP-complete
// (Gibbons and Korach). Three facts make it tractable in practice.
//
//  1. What a failed compare forces can be drawn exactly (tighten): its
//     point lies before a's write or after the version that follows a.
//     When a's period provably began before the compare (a's write or a
//     read of a returned before its invoke) and provably ended after it (a
//     read of a, or the cas that replaced a, was invoked after its return;
//     or nothing that could replace a was invoked in time), that is a
//     violation. When only one of the two is possible, the compare narrows
//     an interval: the cas that replaced a must take effect before the
//     compare returns, or a's write after it was invoked. These are
//     implied constraints, so the relaxed problem with them is still
//     decided exactly, and an illegal relaxed problem (failed compares
//     dropped after that) is an illegal history.
//  2. Given a linearization of the rest, a failed compare needs only a
//     point inside its interval where the key does not hold a: it changes
//     nothing, so it can be added there without disturbing anyone, and the
//     compares are independent of each other. A linearization in which
//     every compare finds such a point proves the history linearizable.
//  3. One is usually easy to build (placeFailed, repair): the construction
//     above puts every write as early as it can, which ends every version
//     as early as it can; a write is delayed past a compare that needs it;
//     an optional indeterminate write or cas is inserted to end a version
//     early (write 1; write 5 indeterminate; cas 1→2 fails); the chain
//     order prefers chains that must be followed in time, and a chain is
//     moved to follow a version that a compare needs ended.
//
// When the built linearization leaves a compare no room, the check does
// not decide: some other order or placement might exist, and finding one
// in general is the hard problem. The key goes to porcupine (or, with
// Algorithm Unique, stays undecided). So the check's "ok" is always a
// linearization it built and verified, and its "illegal" always a
// contradiction among necessary conditions: never a guess.
func checkUnique(ops []porcupine.Operation) uniqueOutcome {
	u := uniqueCheck{ops: make([]uop, len(ops)), src: ops}
	for i, op := range ops {
		in, out := op.Input.(model.Input), op.Output.(model.Output)
		o := uop{call: op.Call, ret: op.Return, kind: in.Kind, status: out.Status, value: in.Value, expected: in.Expected}
		if in.Kind == model.Read {
			o.has, o.value = out.Has, out.Value
		}
		if out.Status == model.Unknown {
			o.ret = Never
		}
		u.ops[i] = o
	}
	return u.run()
}

// uop is one operation as the unique-value check sees it.
type uop struct {
	call, ret int64 // ret: Never for an indeterminate operation
	kind      model.Kind
	status    model.Status
	has       bool  // read: the key had a value
	value     int64 // read: the value returned; write and cas: the value written
	expected  int64 // cas
}

// uniqueOutcome is the check's answer for one key.
type uniqueOutcome struct {
	// result is Ok, Illegal, or Unknown when the check does not decide
	// (reason says why).
	result porcupine.CheckResult
	reason string
	// For Illegal: a set of operations (indexes) that cannot be
	// linearized together, why, and the operations the construction had
	// linearized before the conflict, in order.
	core    []int
	explain string
	partial []int
}

// virtualOp stands for the write that creates ∅, before every operation.
const virtualOp = -1

type uniqueCheck struct {
	ops []uop
	src []porcupine.Operation

	writer  map[int64]int // value -> the operation that writes it
	taken   []bool        // the operation took effect (ok, or forced)
	next    map[int64]int // value a -> the taken cas that expects a
	readsOf map[int64][]int
	empty   []int   // reads of ∅
	chains  [][]int // each a sequence of writers (virtualOp for ∅), chain 0 is ∅'s
	failed  []int   // failed compares

	// Set by tighten: the failed compare that changed an operation's
	// time, and the deadline by which a version that ends its chain must
	// be followed.
	because map[int]int
	need    map[int64]int64
	// gluedBy: the failed compare that made a chain's first write follow
	// another chain directly (see glue).
	gluedBy map[int]int
}

func (u *uniqueCheck) run() uniqueOutcome {
	u.writer = make(map[int64]int, len(u.ops))
	for i, o := range u.ops {
		if o.kind == model.Read || o.status == model.CompareFailed {
			continue
		}
		if _, dup := u.writer[o.value]; dup {
			return uniqueOutcome{result: porcupine.Unknown, reason: fmt.Sprintf("value %d is written twice", o.value)}
		}
		u.writer[o.value] = i
	}
	if out, ok := u.force(); !ok {
		return out
	}
	if out, ok := u.link(); !ok {
		return out
	}
	u.readsOf = map[int64][]int{}
	for i, o := range u.ops {
		switch {
		case o.kind == model.Read && o.status == model.Ok && o.has:
			u.readsOf[o.value] = append(u.readsOf[o.value], i)
		case o.kind == model.Read && o.status == model.Ok:
			u.empty = append(u.empty, i)
		case o.kind == model.Cas && o.status == model.CompareFailed:
			u.failed = append(u.failed, i)
		}
	}
	if out, ok := u.tighten(); !ok {
		return out
	}
	return u.order()
}

// force marks the operations that took effect: completed writes and cas,
// and the writers of every value observed, transitively through
// indeterminate cas. A value observed that no operation writes is a
// violation.
func (u *uniqueCheck) force() (uniqueOutcome, bool) {
	u.taken = make([]bool, len(u.ops))
	seen := map[int64]bool{}
	var queue []int // observers, in order
	observe := func(by int, v int64) {
		if !seen[v] {
			seen[v] = true
			queue = append(queue, by)
		}
	}
	observed := func(by int) int64 {
		if u.ops[by].kind == model.Read {
			return u.ops[by].value
		}
		return u.ops[by].expected
	}
	for i, o := range u.ops {
		switch {
		case o.kind == model.Read && o.status == model.Ok && o.has:
			observe(i, o.value)
		case o.kind != model.Read && o.status == model.Ok:
			u.taken[i] = true
			if o.kind == model.Cas {
				observe(i, o.expected)
			}
		}
	}
	for len(queue) > 0 {
		by := queue[0]
		queue = queue[1:]
		v := observed(by)
		w, ok := u.writer[v]
		if !ok {
			return u.illegal([]int{by}, nil, "%s needs %d, which no operation that may have taken effect wrote", u.describe(by), v), false
		}
		if !u.taken[w] {
			u.taken[w] = true
			if u.ops[w].kind == model.Cas {
				observe(w, u.ops[w].expected)
			}
		}
	}
	return uniqueOutcome{}, true
}

// link builds the chains: each taken plain write followed by the taken cas
// that expects it, and so on. Two taken cas expecting the same value, and
// taken cas that expect each other in a cycle, are violations.
func (u *uniqueCheck) link() (uniqueOutcome, bool) {
	u.next = map[int64]int{}
	for i, o := range u.ops {
		if !u.taken[i] || o.kind != model.Cas {
			continue
		}
		if j, dup := u.next[o.expected]; dup {
			return u.illegal([]int{j, i}, nil, "%s and %s both took effect, but only one can follow %d", u.describe(j), u.describe(i), o.expected), false
		}
		u.next[o.expected] = i
	}
	u.chains = [][]int{{virtualOp}}
	inChain := make([]bool, len(u.ops))
	for i, o := range u.ops {
		if !u.taken[i] || o.kind != model.Write {
			continue
		}
		chain := []int{i}
		inChain[i] = true
		for v := o.value; ; {
			c, ok := u.next[v]
			if !ok {
				break
			}
			chain = append(chain, c)
			inChain[c] = true
			v = u.ops[c].value
		}
		u.chains = append(u.chains, chain)
	}
	for i := range u.ops {
		if !u.taken[i] || inChain[i] {
			continue
		}
		// A taken cas outside every chain: following the writers of
		// the values expected never reaches a plain write, so it ends
		// in a cycle.
		onPath := map[int]bool{}
		j := i
		for !onPath[j] {
			onPath[j] = true
			j = u.writer[u.ops[j].expected]
		}
		cycle := []int{j}
		for k := u.writer[u.ops[j].expected]; k != j; k = u.writer[u.ops[k].expected] {
			cycle = append(cycle, k)
		}
		return u.illegal(cycle, nil, "the cas operations %s each expect the value another writes: none can take effect first", u.describeAll(cycle)), false
	}
	return uniqueOutcome{}, true
}

// illegal is a violation found among core.
// A core operation whose time tighten changed brings the failed compare
// that changed it, and the explanation says why the time moved.
func (u *uniqueCheck) illegal(core, partial []int, format string, a ...any) uniqueOutcome {
	explain := fmt.Sprintf(format, a...)
	for _, i := range slices.Clone(core) {
		if f, ok := u.gluedBy[i]; ok && !slices.Contains(core, f) {
			core = append(core, f)
			explain += fmt.Sprintf("; %s must take effect right after %d and before %s ended: nothing else could replace %d in time",
				u.describe(i), u.ops[f].expected, u.describe(f), u.ops[f].expected)
		}
		f, ok := u.because[i]
		if !ok || slices.Contains(core, f) {
			continue
		}
		core = append(core, f)
		if u.ops[i].call == u.ops[f].call {
			explain += fmt.Sprintf("; %s counts as begun when %s began, which otherwise could not have failed", u.describe(i), u.describe(f))
		} else {
			explain += fmt.Sprintf("; %s counts as ended when %s ended, which otherwise could not have failed", u.describe(i), u.describe(f))
		}
	}
	return uniqueOutcome{result: porcupine.Illegal, core: core, partial: partial, explain: explain}
}

// describe names an operation for an explanation: "p3 read(x) → 2".
func (u *uniqueCheck) describe(i int) string {
	if i == virtualOp {
		return "the initial ∅"
	}
	op := u.src[i]
	return fmt.Sprintf("p%d %s", op.ClientId, model.Describe(op.Input.(model.Input), op.Output.(model.Output)))
}

func (u *uniqueCheck) describeAll(ops []int) string {
	s := ""
	for k, i := range ops {
		if k > 0 {
			s += ", "
		}
		s += u.describe(i)
	}
	return s
}

// call and ret give the virtual write of ∅ the time -1, before everything.
func (u *uniqueCheck) call(i int) int64 {
	if i == virtualOp {
		return -1
	}
	return u.ops[i].call
}

func (u *uniqueCheck) ret(i int) int64 {
	if i == virtualOp {
		return -1
	}
	return u.ops[i].ret
}

// valueName is the version an operation belongs to, for explanations.
func (u *uniqueCheck) valueName(i int) string {
	if i == virtualOp {
		return "∅"
	}
	o := u.ops[i]
	if o.kind == model.Read && !o.has {
		return "∅"
	}
	return fmt.Sprint(o.value)
}
