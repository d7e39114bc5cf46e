package checker

import (
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
type Phantom struct {
	Value int64
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
		}
	}
	return out
}

// droppedWriter finds the operation of the failing key that wrote v and
// completed with a fail that says it did not take effect.
func (r Result) droppedWriter(v int64) (Phantom, bool) {
	open := map[int]int{} // process -> invoke index
	for i, e := range r.events {
		if e.Type == history.Invoke {
			open[e.Process] = i
			continue
		}
		j, ok := open[e.Process]
		if !ok {
			continue
		}
		delete(open, e.Process)
		inv := r.events[j]
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
