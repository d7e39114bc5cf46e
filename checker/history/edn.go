package history

import (
	"io"
)

// maxInputBytes bounds a history read whole (EDN). Larger histories should
// be converted to JSON Lines, which is streamed.
const maxInputBytes = 1 << 30

// ParseEDN reads a Jepsen or Maelstrom history.edn: operation maps with
// :type, :process, :f and :value, either one per line or as one vector.
// Jepsen's meanings apply (see jepsenEvent): :fail did not take effect,
// nemesis operations are skipped, fields other than those are ignored.
// Errors are *ParseError naming the line where the operation's map opens.
func ParseEDN(r io.Reader) ([]Event, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, errorf(0, "%v", err)
	}
	if len(b) > maxInputBytes {
		return nil, errorf(0, "history larger than %d bytes", maxInputBytes)
	}
	rd := newEDNReader(b, 1)
	v := NewValidator()
	var events []Event
	add := func(m ednValue) error {
		if m.kind != ednMap {
			return errorf(m.line, "expected an operation map, got %s", m)
		}
		e, skip, err := jepsenEvent(ednOp(m), v)
		if err != nil || skip {
			return err
		}
		if err := v.Add(e); err != nil {
			return err
		}
		events = append(events, e)
		return nil
	}
	for !rd.done() {
		form, err := rd.next(0)
		if err != nil {
			return nil, err
		}
		if form.kind == ednVector || form.kind == ednList {
			for _, m := range form.items {
				if err := add(m); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := add(form); err != nil {
			return nil, err
		}
	}
	return events, nil
}

// ednOp picks the fields casim uses out of an operation map; missing ones
// read as nil and are reported by jepsenEvent.
func ednOp(m ednValue) jepsenOp {
	op := jepsenOp{line: m.line}
	op.process, _ = m.get("process")
	op.typ, _ = m.get("type")
	op.f, _ = m.get("f")
	op.value, _ = m.get("value")
	op.err, op.hasErr = m.get("error")
	return op
}
