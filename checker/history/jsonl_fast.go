package history

import (
	"github.com/casimlab/casim/model"
)

// fastLine parses a line in exactly the form AppendJSON writes — the
// fields in HISTORY.md's order, no spaces, strings without escapes — with
// no reflection and no allocation beyond the key and error strings. It
// says ok=false for anything else, and the caller falls back to the
// general parser, which accepts every valid form and names what is wrong:
// the fast path only has to be right about what it accepts (a test checks
// it agrees with the general parser). It parses casim's own histories
// about ten times faster.
func fastLine(b []byte, line int) (e Event, ok bool) {
	p := fastParser{b: b}
	e.Line = line
	if !p.lit(`{"type":"`) {
		return e, false
	}
	t, ok := ParseType(p.word())
	if !ok || !p.lit(`","process":`) {
		return e, false
	}
	e.Type = t
	proc, ok := p.int()
	if !ok || proc < 0 || proc > maxProcess || !p.lit(`,"f":"`) {
		return e, false
	}
	e.Process = int(proc)
	f, ok := model.ParseKind(p.word())
	if !ok || !p.lit(`"`) {
		return e, false
	}
	e.F = f
	if p.lit(`,"key":"`) {
		if e.Key, ok = p.plainString(); !ok {
			return e, false
		}
	}
	if !p.lit(`,"value":`) || !p.value(&e) {
		return e, false
	}
	if p.lit(`,"time":`) {
		if e.TimeNs, ok = p.int(); !ok {
			return e, false
		}
	}
	if p.lit(`,"error":"`) {
		if e.Error, ok = p.plainString(); !ok {
			return e, false
		}
	}
	if p.lit(`,"degraded":true`) {
		if e.Type != Ok || e.F != model.Read {
			return e, false // the general parser says what is wrong
		}
		e.Degraded = true
	}
	return e, p.lit("}") && p.i == len(p.b)
}

type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) lit(s string) bool {
	if len(p.b)-p.i < len(s) || string(p.b[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

// word reads lower-case letters (a type or f name).
func (p *fastParser) word() string {
	start := p.i
	for p.i < len(p.b) && p.b[p.i] >= 'a' && p.b[p.i] <= 'z' {
		p.i++
	}
	return string(p.b[start:p.i])
}

// plainString reads up to a closing quote a string of printable ASCII with
// no escapes.
func (p *fastParser) plainString() (string, bool) {
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := string(p.b[start:p.i])
			p.i++
			return s, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return "", false
		}
		p.i++
	}
	return "", false
}

// int reads an optionally negative decimal integer that fits int64, in
// JSON's form (no leading zeros, no plus sign).
func (p *fastParser) int() (int64, bool) {
	neg := p.i < len(p.b) && p.b[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	var n uint64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if p.i-start >= 18 { // leave the edge of int64 to the general parser
			return 0, false
		}
		n = n*10 + uint64(p.b[p.i]-'0')
		p.i++
	}
	digits := p.i - start
	if digits == 0 || (digits > 1 && p.b[start] == '0') {
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// value reads e's value by HISTORY.md's table, as jsonValue does.
func (p *fastParser) value(e *Event) bool {
	switch e.F {
	case model.Read:
		if p.lit("null") {
			return true
		}
		if e.Type == Invoke {
			return false
		}
		n, ok := p.int()
		e.Has, e.Value = ok, n
		return ok
	case model.Write:
		n, ok := p.int()
		e.Has, e.Value = ok, n
		return ok
	default: // cas
		if !p.lit("[") {
			return false
		}
		x, ok1 := p.int()
		if !ok1 || !p.lit(",") {
			return false
		}
		n, ok2 := p.int()
		e.Has, e.Expected, e.Value = true, x, n
		return ok2 && p.lit("]")
	}
}
