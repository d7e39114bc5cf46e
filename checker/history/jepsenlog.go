package history

import (
	"bufio"
	"bytes"
	"io"
)

// jepsenLogMarker precedes every operation in a Jepsen log: jepsen.util logs
// "<process>\t<type>\t<f>\t<value>" after it.
var jepsenLogMarker = []byte("jepsen.util")

// ParseJepsenLog reads the operation lines of a Jepsen log, such as
//
//	INFO  jepsen.util - 3	:invoke	:cas	[1 4]
//
// the format of porcupine's etcd test data. Lines that are not jepsen.util
// operation lines (other log output) are skipped; a jepsen.util line whose
// first field is a process number must be a well-formed operation. Jepsen's
// meanings apply (see jepsenEvent).
func ParseJepsenLog(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	v := NewValidator()
	var events []Event
	line := 0
	for sc.Scan() {
		line++
		op, ok, err := jepsenLogOp(sc.Bytes(), line)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		e, skip, err := jepsenEvent(op, v)
		if err != nil {
			return nil, err
		}
		if skip {
			continue
		}
		if err := v.Add(e); err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	if err := sc.Err(); err != nil {
		return nil, scanError(err, line+1)
	}
	return events, nil
}

// jepsenLogOp parses one log line. ok is false for lines that are not
// operations.
func jepsenLogOp(b []byte, line int) (op jepsenOp, ok bool, err error) {
	i := bytes.Index(b, jepsenLogMarker)
	if i < 0 {
		return op, false, nil
	}
	rest := bytes.TrimLeft(b[i+len(jepsenLogMarker):], " \t")
	if len(rest) == 0 || rest[0] != '-' {
		return op, false, nil
	}
	rd := newEDNReader(rest[1:], line)
	first, err := rd.next(0)
	if err != nil || !(first.kind == ednInt || first.kind == ednKeyword && first.s == "nemesis") {
		return op, false, nil // some other jepsen.util message
	}
	op = jepsenOp{line: line, process: first}
	if op.typ, err = rd.next(0); err != nil {
		return op, false, errorf(line, "missing type after process %s", first)
	}
	if op.f, err = rd.next(0); err != nil {
		if first.kind == ednKeyword {
			return op, true, nil // a bare nemesis line
		}
		return op, false, errorf(line, "missing f after type %s", op.typ)
	}
	if !rd.done() {
		if op.value, err = rd.next(0); err != nil {
			if op.typ.kind == ednKeyword && (op.typ.s == "fail" || op.typ.s == "info") {
				// A completion's value is not used (jepsenEvent); Jepsen
				// may print an exception there that is not EDN.
				op.value = ednValue{}
				return op, true, nil
			}
			return op, false, err
		}
	}
	// Anything after the value is Jepsen's error text; ignored.
	return op, true, nil
}
