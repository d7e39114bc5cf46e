package history

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/casimlab/casim/model"
)

// AppendJSON appends e as one JSON object (no newline) in HISTORY.md's
// field order. It is hand-written rather than encoding/json so that the
// simulator can record large histories without reflection, and so that the
// bytes are fixed for a given event.
func AppendJSON(b []byte, e Event) []byte {
	b = append(b, `{"type":"`...)
	b = append(b, e.Type.String()...)
	b = append(b, `","process":`...)
	b = strconv.AppendInt(b, int64(e.Process), 10)
	b = append(b, `,"f":"`...)
	b = append(b, e.F.String()...)
	b = append(b, '"')
	if e.Key != "" {
		b = append(b, `,"key":`...)
		b = appendString(b, e.Key)
	}
	b = append(b, `,"value":`...)
	switch {
	case e.F == model.Cas:
		b = append(b, '[')
		b = strconv.AppendInt(b, e.Expected, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, e.Value, 10)
		b = append(b, ']')
	case e.Has:
		b = strconv.AppendInt(b, e.Value, 10)
	default:
		b = append(b, "null"...)
	}
	if e.TimeNs != 0 {
		b = append(b, `,"time":`...)
		b = strconv.AppendInt(b, e.TimeNs, 10)
	}
	if e.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, e.Error)
	}
	if e.Degraded {
		b = append(b, `,"degraded":true`...)
	}
	return append(b, '}')
}

// WriteJSONL writes events as JSON Lines.
func WriteJSONL(w io.Writer, events []Event) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for _, e := range events {
		buf = AppendJSON(buf[:0], e)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendString appends s as a JSON string. Plain ASCII, the common case,
// is copied directly; anything else goes through encoding/json so that the
// escaping is JSON's, not Go's.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
