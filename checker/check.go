// Package checker decides whether a history is linearizable against the
// key-value register of package model.
//
// Check splits the history by key, leaves out indeterminate operations that
// provably cannot matter (Reduce), checks the keys in parallel under one
// time budget that stops every search promptly, and for a violation shrinks
// the failing key's history to a minimal witness. A key whose written
// values are unique, as casim writes them, is decided in O(n log n) by the
// unique-value check (checkUnique); any other key, and one whose failed
// compares that check cannot place, by porcupine's search (see Algorithm).
package checker

import (
	"context"
	"slices"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// Verdict is a check's outcome.
type Verdict string

const (
	// Linearizable: some order of the operations explains every result.
	Linearizable Verdict = "ok"
	// Illegal: no order does; Result.Key names a key that fails.
	Illegal Verdict = "illegal"
	// Unknown: the budget ran out before a verdict. Treat it as "no
	// violation found", not as a pass.
	Unknown Verdict = "unknown"
)

// Options tune a check. The zero value checks with no time bound and
// computes a witness.
type Options struct {
	// Budget bounds the whole check, witness included (0: no bound).
	Budget time.Duration
	// NoWitness skips shrinking a violation to a minimal witness and
	// computing the partial linearization: the verdict and Key only.
	NoWitness bool
	// WitnessBudget bounds shrinking the witness (0: DefaultWitnessBudget),
	// within Budget. Proving each smaller candidate illegal can cost as
	// much as the check itself on a long single-key history; when the
	// budget ends, the smallest witness found so far is reported, marked
	// not minimal.
	WitnessBudget time.Duration
	// Algorithm picks how keys are checked ("": Auto).
	Algorithm Algorithm
}

// DefaultWitnessBudget is the witness shrinking budget when none is given.
const DefaultWitnessBudget = 5 * time.Second

// Result is what Check found.
type Result struct {
	Verdict Verdict
	// Key is the first key, in key order, whose sub-history is not
	// linearizable (Illegal only).
	Key string
	// Partial is a partial linearization of Key's sub-history, as indexes
	// of invoke events in the checked history: porcupine's longest one
	// (PartialLongest), or the operations the unique-value check had
	// linearized before it met the conflict.
	Partial        []int
	PartialLongest bool
	// Explanation says in one sentence why the witness cannot be
	// linearized, when the unique-value check can tell ("" otherwise).
	Explanation string
	// Witness is a set of operations of Key that cannot be linearized even
	// if Context (other writes and cas of the key, which the witness's
	// values depend on) took effect at any point after their invoke, or
	// never; when WitnessMinimal, that stops holding if any one operation
	// of Witness is removed. Both sorted by invoke. See minimize.
	Witness        []Op
	Context        []Op
	WitnessMinimal bool

	// Ops is how many operations were checked (fail with an error, and
	// Jepsen's :fail, did not take effect and are not counted); Reduced how
	// many indeterminate ones of those Reduce showed irrelevant.
	Ops, Reduced int
	// Keys is the number of keys; KeysDecided how many got a verdict before
	// the budget ran out or a violation stopped the rest.
	Keys, KeysDecided int
	// Undecided lists (up to 10) keys without a verdict, for Unknown.
	Undecided []string

	// Degraded is what CheckDegraded found of the degraded reads, which
	// the linearizability check leaves out. A degraded read that breaks
	// even the weaker guarantee makes the verdict Illegal, with Key its key
	// and Explanation the reason, and no witness.
	Degraded Degraded

	// Algorithm is the one asked for; KeyChecks says, per key in key
	// order, which one checked it and why it fell back, if it did.
	Algorithm Algorithm
	KeyChecks []KeyCheck

	kept     [][]porcupine.Operation // per key, after Reduce
	witness  []porcupine.Operation   // Witness, as porcupine operations
	failing  int                     // index into kept of Key
	unique   uniqueOutcome           // the unique-value check's finding on Key, if it decided
	deadline time.Time
	events   []history.Event
}

// Op is one operation of a witness.
type Op struct {
	Process int
	Input   model.Input
	Output  model.Output
	// Call and Return are event indexes in the checked history; Return is
	// Never for an indeterminate operation.
	Call, Return int64
	// Line and ReturnLine are where the invoke and the completion were read
	// from (0: not read from a file, or no completion).
	Line, ReturnLine int
}

// Check decides whether events (a valid history) are linearizable. budget
// bounds the time spent (0: no bound); ctx's deadline, if earlier, also
// does, and cancelling ctx stops the check with verdict Unknown.
func Check(ctx context.Context, events []history.Event, budget time.Duration) (Result, error) {
	return CheckWith(ctx, events, Options{Budget: budget})
}

// CheckWith is Check with options.
func CheckWith(ctx context.Context, events []history.Event, opts Options) (Result, error) {
	start := time.Now()
	ops, err := Operations(events)
	if err != nil {
		return Result{}, err
	}
	var deadline time.Time
	if opts.Budget > 0 {
		deadline = start.Add(opts.Budget)
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	stop, release := deadlineStop(ctx, deadline)
	defer release()

	keys := model.PartitionByKey(ops)
	alg := opts.Algorithm
	if alg == "" {
		alg = Auto
	}
	r := Result{Ops: len(ops), Keys: len(keys), failing: -1, deadline: deadline, events: events, Algorithm: alg}
	r.kept = make([][]porcupine.Operation, len(keys))
	for i, k := range keys {
		var dropped int
		r.kept[i], dropped = Reduce(k)
		r.Reduced += dropped
	}
	results := checkKeys(r.kept, alg, stop)
	r.Verdict = Linearizable
	r.KeyChecks = make([]KeyCheck, len(results))
	for i, res := range results {
		r.KeyChecks[i] = res.check
		switch res.res {
		case porcupine.Illegal:
			if r.failing < 0 {
				r.failing = i
				r.unique = res.unique
			}
		case porcupine.Unknown:
			if len(r.Undecided) < 10 {
				r.Undecided = append(r.Undecided, keyOf(keys[i]))
			}
			continue
		}
		r.KeysDecided++
	}
	switch {
	case r.failing >= 0:
		r.Verdict = Illegal
		r.Key = keyOf(keys[r.failing])
		r.Undecided = nil
		if !opts.NoWitness {
			wb := opts.WitnessBudget
			if wb <= 0 {
				wb = DefaultWitnessBudget
			}
			wdl := time.Now().Add(wb)
			if !deadline.IsZero() && deadline.Before(wdl) {
				wdl = deadline
			}
			wstop, wrelease := deadlineStop(ctx, wdl)
			r.findWitness(wstop)
			wrelease()
		}
	case r.KeysDecided < r.Keys:
		r.Verdict = Unknown
	}
	r.Degraded = CheckDegraded(events)
	if r.Degraded.Violation != "" && r.Verdict != Illegal {
		r.Verdict, r.Key, r.Explanation, r.Undecided = Illegal, r.Degraded.Key, r.Degraded.Violation, nil
	}
	return r, nil
}

// findWitness fills Partial, Witness and Explanation for the failing key.
// When the unique-value check found the violation, its conflicting
// operations are where shrinking starts, and its construction gives the
// partial linearization: porcupine is not run again.
func (r *Result) findWitness(stop stopper) {
	ops := r.kept[r.failing]
	orc := oracle(autoOracle)
	if r.Algorithm == Porcupine {
		orc = search
	}
	var w []porcupine.Operation
	var done bool
	if r.unique.result == porcupine.Illegal {
		var seed []porcupine.Operation
		for _, i := range r.unique.core {
			if !slices.ContainsFunc(seed, func(op porcupine.Operation) bool { return op.Call == ops[i].Call }) {
				seed = append(seed, ops[i])
			}
		}
		if illegalCoreWith(seed, ops, orc, stop) {
			w, done = minimize(seed, ops, orc, stop)
		}
	}
	if w == nil {
		w, done = minimize(ops, ops, orc, stop)
	}
	slices.SortFunc(w, func(a, b porcupine.Operation) int { return cmpInt(a.Call, b.Call) })
	r.WitnessMinimal = done
	r.witness = w
	for _, op := range w {
		r.Witness = append(r.Witness, r.op(op))
	}
	original := map[int]porcupine.Operation{}
	for _, op := range ops {
		original[int(op.Call)] = op
	}
	inW := map[int]bool{}
	for _, op := range w {
		inW[int(op.Call)] = true
	}
	ctx := withContext(w, ops)
	slices.SortFunc(ctx, func(a, b porcupine.Operation) int { return cmpInt(a.Call, b.Call) })
	for _, op := range ctx {
		if m := int(op.Call); !inW[m] {
			r.Context = append(r.Context, r.op(original[m]))
		}
	}
	if out := checkUnique(withContext(w, ops)); out.result == porcupine.Illegal {
		r.Explanation = out.explain
	}
	if r.unique.result == porcupine.Illegal {
		for _, i := range r.unique.partial {
			r.Partial = append(r.Partial, int(ops[i].Call))
		}
		return
	}
	if stop() {
		return
	}
	r.PartialLongest = true
	_, info := porcupine.CheckOperationsVerbose(stoppableModel(stop), ops, 0)
	if stop() {
		return
	}
	// porcupine lists the partial linearizations in map order: of those
	// of the greatest length, take the least by their operations' calls,
	// so that the same history always prints the same one.
	for _, partial := range info.PartialLinearizationsOperations() {
		for _, p := range partial {
			calls := make([]int, len(p))
			for i, op := range p {
				calls[i] = int(op.Call)
			}
			if len(calls) > len(r.Partial) || (len(calls) == len(r.Partial) && slices.Compare(calls, r.Partial) < 0) {
				r.Partial = calls
			}
		}
	}
}

func (r *Result) op(p porcupine.Operation) Op {
	o := Op{Process: p.ClientId, Input: p.Input.(model.Input), Output: p.Output.(model.Output), Call: p.Call, Return: p.Return}
	if int(p.Call) < len(r.events) {
		o.Line = r.events[p.Call].Line
	}
	if p.Return != Never && int(p.Return) < len(r.events) {
		o.ReturnLine = r.events[p.Return].Line
	}
	return o
}

func keyOf(ops []porcupine.Operation) string {
	if len(ops) == 0 {
		return ""
	}
	return ops[0].Input.(model.Input).Key
}

// PartialOps returns Partial as operations, in linearization order.
func (r Result) PartialOps() []Op {
	if r.failing < 0 || len(r.Partial) == 0 {
		return nil
	}
	byInvoke := map[int]porcupine.Operation{}
	for _, op := range r.kept[r.failing] {
		byInvoke[int(op.Call)] = op
	}
	ops := make([]Op, 0, len(r.Partial))
	for _, i := range r.Partial {
		ops = append(ops, r.op(byInvoke[i]))
	}
	return ops
}

// KeyOps is how many operations of Key were checked (after Reduce).
func (r Result) KeyOps() int {
	if r.failing < 0 {
		return 0
	}
	return len(r.kept[r.failing])
}
