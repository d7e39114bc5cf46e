package checker

import (
	"fmt"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// Phantom is a value a witness operation observed (a read's result, a
// cas's expected value) that only an operation recorded as not having
// taken effect wrote. Such an operation is left out of the check (it did
// not happen), so the witness can be a single read that looks illegal on
// its own; the phantom names the write behind it, which is the story a
// person needs: a write reported as not applied, whose value appeared
// anyway (a zombie write, CASSANDRA-12126).
//
// A phantom with NeverWritten set is a value that no operation of the key
// wrote at all: the witness is then often one read, illegal because
// nothing could have produced what it returned.
type Phantom struct {
	Value int64
	// NeverWritten: no operation of the key, whatever its outcome, wrote
	// Value (Writer and Error are then empty).
	NeverWritten bool
	// Writer is the operation that wrote Value and was recorded as not
	// having taken effect; Error is what its completion said.
	Writer Op
	Error  string
}

// Phantoms lists the phantom values of the witness (Illegal only).
func (r Result) Phantoms() []Phantom {
	if len(r.Witness) == 0 {
		return nil
	}
	written := map[int64]bool{} // values some checked operation may have written
	for _, ops := range r.kept {
		for _, op := range ops {
			in := op.Input.(model.Input)
			if in.Kind != model.Read && in.Key == r.Key {
				written[in.Value] = true
			}
		}
	}
	var out []Phantom
	seen := map[int64]bool{}
	for _, w := range r.Witness {
		var v int64
		switch {
		case w.Input.Kind == model.Read && w.Output.Status == model.Ok && w.Output.Has:
			v = w.Output.Value
		case w.Input.Kind == model.Cas && w.Output.Status == model.Ok:
			v = w.Input.Expected
		default:
			continue
		}
		if written[v] || seen[v] {
			continue
		}
		if p, ok := r.droppedWriter(v); ok {
			seen[v] = true
			out = append(out, p)
		} else if !r.anyWriter(v) {
			seen[v] = true
			out = append(out, Phantom{Value: v, NeverWritten: true})
		}
	}
	return out
}

// droppedWriter finds the operation of the failing key that wrote v and
// completed with a fail that says it did not take effect.
func (r Result) droppedWriter(v int64) (Phantom, bool) {
	for j, i := range completions(r.events) {
		e, inv := r.events[i], r.events[j]
		if e.Type != history.Fail || e.Error == "" || inv.Key != r.Key || inv.F == model.Read || inv.Value != v {
			continue
		}
		return Phantom{Value: v, Error: e.Error, Writer: Op{Process: inv.Process,
			Input: model.Input{Kind: inv.F, Key: inv.Key, Value: inv.Value, Expected: inv.Expected},
			Call:  int64(j), Return: int64(i),
			Line: inv.Line, ReturnLine: e.Line}}, true
	}
	return Phantom{}, false
}

// anyWriter says whether some invoke of the failing key writes v.
func (r Result) anyWriter(v int64) bool {
	for _, e := range r.events {
		if e.Type == history.Invoke && e.Key == r.Key && e.F != model.Read && e.Value == v {
			return true
		}
	}
	return false
}

// Explain says in a sentence or two why the phantom value makes the
// witness illegal; describe renders an operation (the caller's choice of
// detail, e.g. with line numbers).
func (p Phantom) Explain(describe func(Op) string) string {
	if p.NeverWritten {
		return fmt.Sprintf("%d was never written: no operation of the history writes it, so no order of the operations can return it", p.Value)
	}
	return fmt.Sprintf("%d was written only by this operation, recorded as not having taken effect (%s):\n  %s\n"+
		"the check leaves it out, so its value appearing is the violation: a zombie write", p.Value, p.Error, describe(p.Writer))
}
