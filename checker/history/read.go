package history

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// Format is a history file format.
type Format string

// The formats casim reads. Auto tells the others apart by content.
const (
	Auto      Format = "auto"
	JSONL     Format = "jsonl"
	EDN       Format = "edn"
	JepsenLog Format = "jepsen-log"
)

// Formats lists the formats accepted by Read, for flag help.
var Formats = []Format{Auto, JSONL, EDN, JepsenLog}

// ParseFormat is the inverse of a Format's string.
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// detectBytes is how much of the input Detect may look at. A Jepsen log
// can open with a long preamble of other log lines before the first
// operation.
const detectBytes = 1 << 20

// Read parses a history in format f; for Auto it first detects the format
// (returned, so that callers can say what they read). A UTF-8 byte-order
// mark at the start is skipped. A history with no completed operation (an
// empty input, blank lines only, invokes only) is an *EmptyError: checking
// it would say "linearizable" about nothing, and a broken pipeline would
// pass silently.
func Read(r io.Reader, f Format) ([]Event, Format, error) {
	br := bufio.NewReaderSize(r, detectBytes)
	if bom, _ := br.Peek(len(utf8BOM)); bytes.Equal(bom, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	if f == Auto {
		head, _ := br.Peek(detectBytes) // a short read just means a small file
		if len(bytes.TrimLeft(head, " \t\r\n,")) == 0 {
			return nil, Auto, &EmptyError{}
		}
		var err error
		if f, err = Detect(head); err != nil {
			return nil, Auto, err
		}
	}
	var events []Event
	var err error
	switch f {
	case JSONL:
		events, err = ParseJSONL(br)
	case EDN:
		events, err = ParseEDN(br)
	case JepsenLog:
		events, err = ParseJepsenLog(br)
	default:
		return nil, f, fmt.Errorf("unknown format %q", f)
	}
	if err == nil {
		err = checkCompleted(events)
	}
	return events, f, err
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// EmptyError says a history has no completed operation: there is nothing
// to check. Invokes counts the operations invoked (0: no operation at
// all). The command line reports it as bad input (exit 2).
type EmptyError struct {
	Invokes int
}

func (e *EmptyError) Error() string {
	if e.Invokes == 0 {
		return "no completed operation: the history has no operations"
	}
	return fmt.Sprintf("no completed operation: %d %s, none completed", e.Invokes, pluralWord(e.Invokes, "invoke", "invokes"))
}

func checkCompleted(events []Event) error {
	invokes := 0
	for _, e := range events {
		if e.Type != Invoke {
			return nil
		}
		invokes++
	}
	return &EmptyError{Invokes: invokes}
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Detect tells the formats apart by their first meaningful content: a JSON
// object opens with {" ; EDN with { followed by a keyword, a vector, a tag
// or a comment; a Jepsen log is text with jepsen.util operation lines.
// The log test comes first, since a log's other lines can be anything.
func Detect(head []byte) (Format, error) {
	if bytes.Contains(head, []byte("jepsen.util")) {
		for _, l := range bytes.Split(head, []byte("\n")) {
			if _, ok, err := jepsenLogOp(l, 0); ok || err != nil {
				return JepsenLog, nil
			}
		}
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n,")
	if len(b) == 0 {
		return "", &EmptyError{}
	}
	switch b[0] {
	case '[', '#', ';', '(':
		return EDN, nil
	case '{':
		rest := bytes.TrimLeft(b[1:], " \t\r\n,")
		if len(rest) > 0 && rest[0] == '"' {
			return JSONL, nil
		}
		if len(rest) > 0 && (rest[0] == ':' || rest[0] == '}') {
			return EDN, nil
		}
	}
	return "", errorf(0, "cannot tell the history's format (JSON Lines, EDN or Jepsen log); name it with --format")
}
