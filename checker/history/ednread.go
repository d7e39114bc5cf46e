package history

import (
	"fmt"
	"strconv"
	"strings"
)

// ednKind is the type of an EDN value, as far as histories need: Jepsen
// and Maelstrom write maps of keywords, integers, strings, nil and vectors,
// and sometimes other forms in fields casim ignores. Those are read (so the
// file parses) but carry no meaning here.
type ednKind uint8

const (
	ednNil ednKind = iota
	ednBool
	ednInt    // fits int64; i holds it
	ednNumber // any other number: text in s
	ednString
	ednKeyword // s without the colon
	ednSymbol
	ednChar
	ednVector
	ednList
	ednSet
	ednMap // items alternate key, value
)

// ednValue is one parsed EDN form.
type ednValue struct {
	kind  ednKind
	i     int64
	s     string
	items []ednValue
	line  int
}

// ednMaxDepth bounds nesting so that hostile input cannot exhaust the stack.
const ednMaxDepth = 200

// ednReader parses EDN forms from a byte slice, tracking line numbers.
type ednReader struct {
	b    []byte
	pos  int
	line int
}

func newEDNReader(b []byte, line int) *ednReader { return &ednReader{b: b, line: line} }

// skip passes whitespace, commas and ; comments.
func (r *ednReader) skip() {
	for r.pos < len(r.b) {
		switch c := r.b[r.pos]; c {
		case '\n':
			r.line++
			r.pos++
		case ' ', '\t', '\r', ',', '\f':
			r.pos++
		case ';':
			for r.pos < len(r.b) && r.b[r.pos] != '\n' {
				r.pos++
			}
		default:
			return
		}
	}
}

// done says whether only whitespace and comments remain.
func (r *ednReader) done() bool {
	r.skip()
	return r.pos >= len(r.b)
}

// next reads one form.
func (r *ednReader) next(depth int) (ednValue, error) {
	r.skip()
	if r.pos >= len(r.b) {
		return ednValue{}, errorf(r.line, "unexpected end of input")
	}
	if depth > ednMaxDepth {
		return ednValue{}, errorf(r.line, "nested more than %d deep", ednMaxDepth)
	}
	line := r.line
	c := r.b[r.pos]
	switch c {
	case '[':
		r.pos++
		return r.seq(ednVector, ']', line, depth)
	case '(':
		r.pos++
		return r.seq(ednList, ')', line, depth)
	case '{':
		if r.jsonObject() {
			return ednValue{}, errorf(line, "expected EDN (a map such as {:type :invoke, ...}), found JSON: %s (for JSON Lines, use --format jsonl or auto)", excerpt(r.lineAt(r.pos)))
		}
		r.pos++
		v, err := r.seq(ednMap, '}', line, depth)
		if err == nil && len(v.items)%2 != 0 {
			return v, errorf(line, "map with an odd number of forms")
		}
		return v, err
	case '#':
		return r.dispatch(line, depth)
	case '"':
		return r.str(line)
	case '\\':
		r.pos++
		tok := r.token()
		if tok == "" && r.pos < len(r.b) { // \( or \space-like single chars
			tok = string(r.b[r.pos])
			r.pos++
		}
		return ednValue{kind: ednChar, s: tok, line: line}, nil
	case ']', ')', '}':
		return ednValue{}, errorf(line, "unexpected %q", c)
	}
	tok := r.token()
	if tok == "" {
		return ednValue{}, errorf(line, "unexpected %q", c)
	}
	return atom(tok, line)
}

// dispatch handles the # forms: sets, discards (#_) and tagged literals,
// whose tag is dropped (Jepsen may write #jepsen.history.Op{...}).
func (r *ednReader) dispatch(line, depth int) (ednValue, error) {
	r.pos++
	if r.pos >= len(r.b) {
		return ednValue{}, errorf(line, "unexpected end of input after #")
	}
	switch r.b[r.pos] {
	case '{':
		r.pos++
		return r.seq(ednSet, '}', line, depth)
	case '_':
		r.pos++
		if _, err := r.next(depth + 1); err != nil {
			return ednValue{}, err
		}
		return r.next(depth + 1)
	}
	if r.token() == "" {
		return ednValue{}, errorf(line, "bad # form")
	}
	return r.next(depth + 1)
}

func (r *ednReader) seq(kind ednKind, end byte, line, depth int) (ednValue, error) {
	v := ednValue{kind: kind, line: line}
	for {
		r.skip()
		if r.pos >= len(r.b) {
			return v, errorf(line, "unclosed %q", ednBrackets[kind][0])
		}
		if r.b[r.pos] == end {
			r.pos++
			return v, nil
		}
		item, err := r.next(depth + 1)
		if err != nil {
			return v, err
		}
		v.items = append(v.items, item)
	}
}

func (r *ednReader) str(line int) (ednValue, error) {
	r.pos++ // opening quote
	var sb strings.Builder
	for r.pos < len(r.b) {
		c := r.b[r.pos]
		r.pos++
		switch c {
		case '"':
			return ednValue{kind: ednString, s: sb.String(), line: line}, nil
		case '\n':
			r.line++
		case '\\':
			if r.pos >= len(r.b) {
				break
			}
			e := r.b[r.pos]
			r.pos++
			switch e {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			default:
				c = e
			}
		}
		sb.WriteByte(c)
	}
	return ednValue{}, errorf(line, "unclosed string")
}

// token reads a run of symbol characters.
func (r *ednReader) token() string {
	start := r.pos
	for r.pos < len(r.b) {
		switch r.b[r.pos] {
		case ' ', '\t', '\r', '\n', '\f', ',', ';', '(', ')', '[', ']', '{', '}', '"':
			return string(r.b[start:r.pos])
		}
		r.pos++
	}
	return string(r.b[start:r.pos])
}

func atom(tok string, line int) (ednValue, error) {
	switch tok {
	case "nil":
		return ednValue{kind: ednNil, line: line}, nil
	case "true", "false":
		return ednValue{kind: ednBool, s: tok, line: line}, nil
	}
	if tok[0] == ':' {
		if len(tok) == 1 {
			return ednValue{}, errorf(line, "empty keyword")
		}
		return ednValue{kind: ednKeyword, s: tok[1:], line: line}, nil
	}
	c := tok[0]
	if c >= '0' && c <= '9' || (c == '-' || c == '+') && len(tok) > 1 && tok[1] >= '0' && tok[1] <= '9' {
		if n, err := strconv.ParseInt(strings.TrimSuffix(tok, "N"), 10, 64); err == nil {
			return ednValue{kind: ednInt, i: n, s: tok, line: line}, nil
		}
		return ednValue{kind: ednNumber, s: tok, line: line}, nil
	}
	return ednValue{kind: ednSymbol, s: tok, line: line}, nil
}

// ednBrackets are the delimiters of each collection kind.
var ednBrackets = map[ednKind][2]string{ednVector: {"[", "]"}, ednList: {"(", ")"}, ednSet: {"#{", "}"}, ednMap: {"{", "}"}}

// get returns the value of keyword key in map m.
func (m ednValue) get(key string) (ednValue, bool) {
	for i := 0; i+1 < len(m.items); i += 2 {
		if k := m.items[i]; k.kind == ednKeyword && k.s == key {
			return m.items[i+1], true
		}
	}
	return ednValue{}, false
}

// String renders v back as EDN, for messages and for keys.
func (v ednValue) String() string {
	var sb strings.Builder
	v.write(&sb)
	return sb.String()
}

func (v ednValue) write(sb *strings.Builder) {
	if sb.Len() > 200 {
		sb.WriteString("…")
		return
	}
	switch v.kind {
	case ednNil:
		sb.WriteString("nil")
	case ednInt:
		sb.WriteString(strconv.FormatInt(v.i, 10))
	case ednString:
		fmt.Fprintf(sb, "%q", v.s)
	case ednKeyword:
		sb.WriteString(":" + v.s)
	case ednChar:
		sb.WriteString(`\` + v.s)
	case ednVector, ednList, ednSet, ednMap:
		brackets := ednBrackets[v.kind]
		sb.WriteString(brackets[0])
		for i, it := range v.items {
			if i > 0 {
				sb.WriteByte(' ')
			}
			it.write(sb)
		}
		sb.WriteString(brackets[1])
	default:
		sb.WriteString(v.s)
	}
}

// jsonObject says whether the map opening at pos is JSON rather than EDN:
// its first key is a string followed by a colon ({"type": ...}), which EDN
// would read as a string and an empty keyword.
func (r *ednReader) jsonObject() bool {
	i := r.pos + 1
	for i < len(r.b) && (r.b[i] == ' ' || r.b[i] == '\t' || r.b[i] == '\r' || r.b[i] == '\n') {
		i++
	}
	if i >= len(r.b) || r.b[i] != '"' {
		return false
	}
	for i++; i < len(r.b) && r.b[i] != '"'; i++ {
		if r.b[i] == '\\' {
			i++
		}
	}
	for i++; i < len(r.b) && (r.b[i] == ' ' || r.b[i] == '\t'); i++ {
	}
	return i < len(r.b) && r.b[i] == ':'
}

// lineAt returns the rest of the line starting at pos.
func (r *ednReader) lineAt(pos int) []byte {
	end := pos
	for end < len(r.b) && r.b[end] != '\n' {
		end++
	}
	return r.b[pos:end]
}
