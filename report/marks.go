package report

import (
	"fmt"
	"strconv"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
)

// opMark is the part a client operation plays in a violation, so that the
// trace and the HTML report can point at the few operations that matter
// among thousands of events.
type opMark struct {
	// Tag is "W1".."Wn" for the witness's operations and "C1".."Cm" for its
	// context (writes it depends on, which may or may not have taken
	// effect); empty for every other operation.
	Tag string
	// Witness is true for a witness operation, false for context.
	Witness bool
	// Desc is the operation as the checker saw it, e.g. "p1 cas(k0, 62→66)".
	Desc string
}

// opMarks maps the simulator's operations (TraceEvent.Op) to their marks.
// The checker names operations by the index of their invoke event in the
// history; the simulator's Result.OpInvokes gives the same index per
// operation, which joins the two.
type opMarks struct {
	byOp []opMark // indexed by TraceEvent.Op
	list []opMark // the marked operations: witness first, then context
}

func markOps(res *sim.Result, chk checker.Result) opMarks {
	m := opMarks{byOp: make([]opMark, len(res.OpInvokes))}
	opOf := make(map[int64]int, len(res.OpInvokes))
	for op, invoke := range res.OpInvokes {
		opOf[int64(invoke)] = op
	}
	add := func(ops []checker.Op, prefix string, witness bool) {
		for i, o := range ops {
			mk := opMark{Tag: prefix + strconv.Itoa(i+1), Witness: witness,
				Desc: fmt.Sprintf("p%d %s", o.Process, model.Describe(o.Input, o.Output))}
			m.list = append(m.list, mk)
			if op, ok := opOf[o.Call]; ok {
				m.byOp[op] = mk
			}
		}
	}
	add(chk.Witness, "W", true)
	add(chk.Context, "C", false)
	return m
}

// of returns the mark of the operation an event works for (Op -1: none).
func (m opMarks) of(op int) opMark {
	if op < 0 || op >= len(m.byOp) {
		return opMark{}
	}
	return m.byOp[op]
}
