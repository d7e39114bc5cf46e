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
// (returned, so that callers can say what they read).
func Read(r io.Reader, f Format) ([]Event, Format, error) {
	if f == Auto {
		br := bufio.NewReaderSize(r, detectBytes)
		head, _ := br.Peek(detectBytes) // a short read just means a small file
		var err error
		if f, err = Detect(head); err != nil {
			return nil, Auto, err
		}
		r = br
	}
	var events []Event
	var err error
	switch f {
	case JSONL:
		events, err = ParseJSONL(r)
	case EDN:
		events, err = ParseEDN(r)
	case JepsenLog:
		events, err = ParseJepsenLog(r)
	default:
		return nil, f, fmt.Errorf("unknown format %q", f)
	}
	return events, f, err
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
	b := bytes.TrimLeft(head, " \t\r\n,")
	if len(b) == 0 {
		return JSONL, nil // empty: any parser returns no events
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
