package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/casimlab/casim/model"
)

// maxLineBytes bounds one line of a history file, so that a file with no
// newlines cannot make the reader buffer all of it as one line.
const maxLineBytes = 1 << 20

// jsonLine holds one line's fields undecoded, so that each can be checked
// for its own shape and reported by name.
type jsonLine struct {
	Type    json.RawMessage `json:"type"`
	Process json.RawMessage `json:"process"`
	F       json.RawMessage `json:"f"`
	Key     json.RawMessage `json:"key"`
	Value   json.RawMessage `json:"value"`
	Time    json.RawMessage `json:"time"`
	Error   json.RawMessage `json:"error"`
	// Degraded is additive (issue 12): true marks a degraded ok read.
	Degraded json.RawMessage `json:"degraded"`
}

// ParseJSONL reads a history in the JSON Lines format of HISTORY.md and
// checks every bad-input rule there. The first problem is returned as a
// *ParseError naming its line. Blank lines are skipped; unknown fields are
// ignored, so that tools can add their own.
func ParseJSONL(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	v := NewValidator()
	var events []Event
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		e, err := parseJSONLine(b, line, v)
		if err != nil {
			return nil, err
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

func parseJSONLine(b []byte, line int, v *Validator) (Event, error) {
	if b[0] != '{' || looksEDN(b) {
		if looksEDN(b) {
			return Event{}, errorf(line, "expected JSON Lines (a JSON object such as {\"type\": \"invoke\", ...}), found EDN: %s", excerpt(b))
		}
		return Event{}, errorf(line, "not a JSON object: expected JSON Lines (a JSON object such as {\"type\": \"invoke\", ...}), found %s", excerpt(b))
	}
	if e, ok := fastLine(b, line); ok {
		if e.Type == Invoke {
			return e, nil
		}
		if inv, open := v.Invoke(e.Process); !open || inv.F != e.F || sameValue(inv, e) {
			return e, nil
		}
		// A mismatch: let the general parser say it, with the value.
	}
	return parseJSONLineGeneral(b, line, v)
}

// parseJSONLineGeneral accepts every valid form of a line and says what is
// wrong with an invalid one.
func parseJSONLineGeneral(b []byte, line int, v *Validator) (Event, error) {
	var j jsonLine
	if err := json.Unmarshal(b, &j); err != nil {
		return Event{}, errorf(line, "not valid JSON: %v", jsonErr(err))
	}
	e := Event{Line: line}
	s, err := jsonString(j.Type, "type", true)
	if err != nil {
		return e, errorf(line, "%v", err)
	}
	t, ok := ParseType(s)
	if !ok {
		return e, errorf(line, "unknown type %q (want invoke, ok, fail or info)", s)
	}
	e.Type = t
	if j.Process == nil {
		return e, errorf(line, "missing process")
	}
	p, err := jsonInt(j.Process)
	if err != nil || p < 0 || p > maxProcess {
		return e, errorf(line, "process must be an integer >= 0, got %s", j.Process)
	}
	e.Process = int(p)
	s, err = jsonString(j.F, "f", true)
	if err != nil {
		return e, errorf(line, "%v", err)
	}
	f, ok := model.ParseKind(s)
	if !ok {
		return e, errorf(line, "unknown f %q (want read, write or cas)", s)
	}
	e.F = f
	if e.Key, err = jsonString(j.Key, "key", false); err != nil {
		return e, errorf(line, "%v", err)
	}
	if j.Time != nil && !isNull(j.Time) {
		if e.TimeNs, err = jsonInt(j.Time); err != nil {
			return e, errorf(line, "time must be an integer, got %s", j.Time)
		}
	}
	if e.Error, err = jsonString(j.Error, "error", false); err != nil {
		return e, errorf(line, "%v", err)
	}
	if j.Degraded != nil && !isNull(j.Degraded) {
		if err := json.Unmarshal(j.Degraded, &e.Degraded); err != nil {
			return e, errorf(line, "degraded must be true or false, got %s", j.Degraded)
		}
		if e.Degraded && (e.Type != Ok || e.F != model.Read) {
			return e, errorf(line, "degraded marks only an ok read, not a %s %s", e.Type, e.F)
		}
	}
	if err := jsonValue(&e, j.Value); err != nil {
		return e, errorf(line, "%v", err)
	}
	if e.Type != Invoke {
		if inv, open := v.Invoke(e.Process); open && inv.F == e.F && !sameValue(inv, e) {
			return e, errorf(line, "%s value %s differs from its invoke's (line %d)", e.Type, j.Value, inv.Line)
		}
	}
	return e, nil
}

// maxProcess keeps process numbers within int on every platform.
const maxProcess = 1<<31 - 1

// jsonValue decodes value into e by HISTORY.md's table: read takes null on
// invoke and null or an integer after; write an integer; cas a pair.
func jsonValue(e *Event, raw json.RawMessage) error {
	switch e.F {
	case model.Read:
		if raw == nil || isNull(raw) {
			return nil
		}
		if e.Type == Invoke {
			return errors.New("read invoke value must be null, got " + string(raw))
		}
		n, err := jsonInt(raw)
		if err != nil {
			return errors.New("read value must be an integer or null, got " + string(raw))
		}
		e.Has, e.Value = true, n
	case model.Write:
		n, err := jsonInt(raw)
		if err != nil {
			return errors.New("write value must be an integer, got " + shown(raw))
		}
		e.Has, e.Value = true, n
	case model.Cas:
		var pair []json.RawMessage
		if raw == nil || raw[0] != '[' || json.Unmarshal(raw, &pair) != nil || len(pair) != 2 {
			return errors.New("cas value must be [expected, new], got " + shown(raw))
		}
		x, err1 := jsonInt(pair[0])
		n, err2 := jsonInt(pair[1])
		if err1 != nil || err2 != nil {
			return errors.New("cas value must be two integers, got " + string(raw))
		}
		e.Has, e.Expected, e.Value = true, x, n
	}
	return nil
}

// jsonInt accepts a JSON integer that fits int64; no fraction, no exponent.
func jsonInt(raw json.RawMessage) (int64, error) {
	return strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
}

func jsonString(raw json.RawMessage, name string, required bool) (string, error) {
	if raw == nil {
		if required {
			return "", errors.New("missing " + name)
		}
		return "", nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", errors.New(name + " must be a string, got " + string(raw))
	}
	return s, nil
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

func shown(raw json.RawMessage) string {
	if raw == nil {
		return "nothing"
	}
	return string(raw)
}

// jsonErr trims encoding/json's prefix, which repeats what the caller says.
func jsonErr(err error) string {
	s := err.Error()
	const p = "json: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// looksEDN says whether a line opens like EDN rather than JSON: a map whose
// first key is a keyword ({:type ...}), a vector, list, tag or comment.
func looksEDN(b []byte) bool {
	switch b[0] {
	case '(', '#', ';':
		return true
	case '[':
		rest := bytes.TrimLeft(b[1:], " \t,")
		return len(rest) > 0 && (rest[0] == ':' || rest[0] == '{' && looksEDN(rest))
	case '{':
		rest := bytes.TrimLeft(b[1:], " \t,")
		return len(rest) > 0 && rest[0] == ':'
	}
	return false
}

// excerpt is the start of a line, for an error message: as it is if it
// is printable text, quoted otherwise.
func excerpt(b []byte) string {
	const n = 40
	more := ""
	if len(b) > n {
		b, more = b[:n], "…"
	}
	s := string(b)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(s) + more
	}
	return s + more
}
