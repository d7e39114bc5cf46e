package history

import (
	"strconv"

	"github.com/casimlab/casim/model"
)

// jepsenOp is one operation line of a Jepsen history (EDN map or log line)
// before it becomes an Event: the fields casim uses, still as EDN.
type jepsenOp struct {
	line    int
	process ednValue
	typ     ednValue
	f       ednValue
	value   ednValue
	err     ednValue // :error, if any; only its presence matters
	hasErr  bool
}

// jepsenEvent turns op into an Event under Jepsen's meanings, which differ
// from HISTORY.md's JSON in three ways: a :fail means only "did not take
// effect" (also for cas), so it gets Error set and is dropped from checking;
// the value of an :info or :fail completion is not trusted (Jepsen writes
// :timed-out there), so the invoke's arguments stand; and a read invoke may
// carry a value, which is ignored.
//
// skip is true for nemesis operations (process :nemesis), which are not
// client operations.
func jepsenEvent(op jepsenOp, v *Validator) (e Event, skip bool, err error) {
	e.Line = op.line
	switch op.process.kind {
	case ednInt:
		if op.process.i < 0 || op.process.i > maxProcess {
			return e, false, errorf(op.line, "process must be an integer >= 0, got %s", op.process)
		}
		e.Process = int(op.process.i)
	case ednKeyword:
		if op.process.s == "nemesis" {
			return e, true, nil
		}
		fallthrough
	default:
		return e, false, errorf(op.line, "process must be an integer >= 0 or :nemesis, got %s", op.process)
	}
	if op.typ.kind != ednKeyword {
		return e, false, errorf(op.line, "type must be a keyword, got %s", op.typ)
	}
	t, ok := ParseType(op.typ.s)
	if !ok {
		return e, false, errorf(op.line, "unknown type :%s (want :invoke, :ok, :fail or :info)", op.typ.s)
	}
	e.Type = t
	if op.f.kind != ednKeyword {
		return e, false, errorf(op.line, "f must be a keyword, got %s", op.f)
	}
	f, ok := model.ParseKind(op.f.s)
	if !ok {
		return e, false, errorf(op.line, "unknown f :%s (want :read, :write or :cas)", op.f.s)
	}
	e.F = f
	if t == Invoke || t == Ok {
		if err := jepsenValue(&e, op.value); err != nil {
			return e, false, errorf(op.line, "%v", err)
		}
		if t == Ok {
			if inv, open := v.Invoke(e.Process); open && inv.F == e.F && !sameValue(inv, e) {
				return e, false, errorf(op.line, "ok value %s differs from its invoke's (line %d)", op.value, inv.Line)
			}
		}
		return e, false, nil
	}
	// :fail and :info: keep the invoke's key and arguments, unless the value
	// names a key of its own, which must then match (the validator checks).
	inv, open := v.Invoke(e.Process)
	if open && inv.F == e.F {
		e.Key, e.Has, e.Value, e.Expected = inv.Key, inv.Has, inv.Value, inv.Expected
	}
	if k, ok := independentKey(f, op.value); ok {
		e.Key = k
	}
	if t == Fail {
		e.Error = "fail"
		if op.hasErr && op.err.kind != ednNil {
			e.Error = op.err.String()
		}
	}
	return e, false, nil
}

// jepsenValue reads an invoke or ok value, in either of Jepsen's shapes:
// the plain register (read: nil or n; write: n; cas: [from to]) or
// independent keys, as Maelstrom lin-kv writes them ([k v] and [k [from to]]).
func jepsenValue(e *Event, v ednValue) error {
	if v.kind == ednVector && len(v.items) == 2 && (e.F != model.Cas || v.items[1].kind == ednVector) {
		e.Key = ednKey(v.items[0])
		v = v.items[1]
	}
	switch e.F {
	case model.Read:
		switch {
		case e.Type == Invoke:
			// A read invoke's value means nothing; Jepsen sometimes fills it.
		case v.kind == ednInt:
			e.Has, e.Value = true, v.i
		case v.kind != ednNil:
			return errorf(0, "read value must be an integer or nil, got %s", v)
		}
	case model.Write:
		if v.kind != ednInt {
			return errorf(0, "write value must be an integer, got %s", v)
		}
		e.Has, e.Value = true, v.i
	case model.Cas:
		if v.kind != ednVector || len(v.items) != 2 || v.items[0].kind != ednInt || v.items[1].kind != ednInt {
			return errorf(0, "cas value must be [from to] or [key [from to]] with integers, got %s", v)
		}
		e.Has, e.Expected, e.Value = true, v.items[0].i, v.items[1].i
	}
	return nil
}

// independentKey returns the key of a value in the independent-keys shape.
func independentKey(f model.Kind, v ednValue) (string, bool) {
	if v.kind != ednVector || len(v.items) != 2 {
		return "", false
	}
	if f == model.Cas && v.items[1].kind != ednVector {
		return "", false
	}
	return ednKey(v.items[0]), true
}

// ednKey renders a key as a string: integers and strings as themselves,
// anything else as EDN.
func ednKey(k ednValue) string {
	switch k.kind {
	case ednInt:
		return strconv.FormatInt(k.i, 10)
	case ednString:
		return k.s
	}
	return k.String()
}
