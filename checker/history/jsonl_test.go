package history

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casimlab/casim/model"
)

const (
	wInv = `{"type":"invoke","process":0,"f":"write","key":"x","value":1}`
	wOk  = `{"type":"ok","process":0,"f":"write","key":"x","value":1}`
)

// TestParseJSONLBadInput has one case per bad-input rule of HISTORY.md (and
// per value shape), each with the line that must be named.
func TestParseJSONLBadInput(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"not json", wInv + "\n{\"type\":", 2, "not valid JSON"},
		{"not an object", "[1,2]", 1, "not a JSON object"},
		{"trailing garbage", wInv + " x", 1, "not valid JSON"},
		{"unknown type", `{"type":"done","process":0,"f":"read"}`, 1, `unknown type "done"`},
		{"type not a string", `{"type":1,"process":0,"f":"read"}`, 1, "type must be a string"},
		{"missing type", `{"process":0,"f":"read"}`, 1, "missing type"},
		{"unknown f", `{"type":"invoke","process":0,"f":"append","value":1}`, 1, `unknown f "append"`},
		{"missing f", `{"type":"invoke","process":0}`, 1, "missing f"},
		{"missing process", `{"type":"invoke","f":"read"}`, 1, "missing process"},
		{"negative process", `{"type":"invoke","process":-1,"f":"read"}`, 1, "process must be an integer >= 0"},
		{"fractional process", `{"type":"invoke","process":1.5,"f":"read"}`, 1, "process must be an integer"},
		{"string process", `{"type":"invoke","process":"1","f":"read"}`, 1, "process must be an integer"},
		{"key not a string", `{"type":"invoke","process":0,"f":"read","key":3}`, 1, "key must be a string"},
		{"completion without invoke", wOk, 1, "ok on process 0 with no open invoke"},
		{"second invoke", wInv + "\n" + wInv, 2, "still open"},
		{"invoke after info", wInv + "\n" + strings.Replace(wOk, "ok", "info", 1) + "\n" + wInv, 3, "after its info"},
		{"completion f differs", wInv + "\n" + `{"type":"ok","process":0,"f":"read","key":"x","value":1}`, 2, "its invoke at line 1 is write"},
		{"completion key differs", wInv + "\n" + strings.Replace(wOk, `"x"`, `"y"`, 1), 2, `on key "y"`},
		{"completion value differs", wInv + "\n" + strings.Replace(wOk, `:1}`, `:2}`, 1), 2, "differs from its invoke"},
		{"read invoke with value", `{"type":"invoke","process":0,"f":"read","value":3}`, 1, "read invoke value must be null"},
		{"read ok string", `{"type":"invoke","process":0,"f":"read","value":null}` + "\n" + `{"type":"ok","process":0,"f":"read","value":"3"}`, 2, "read value must be an integer or null"},
		{"write null", `{"type":"invoke","process":0,"f":"write","value":null}`, 1, "write value must be an integer"},
		{"write missing value", `{"type":"invoke","process":0,"f":"write"}`, 1, "got nothing"},
		{"write float", `{"type":"invoke","process":0,"f":"write","value":1.0}`, 1, "write value must be an integer"},
		{"write too big", `{"type":"invoke","process":0,"f":"write","value":9223372036854775808}`, 1, "write value must be an integer"},
		{"cas one int", `{"type":"invoke","process":0,"f":"cas","value":1}`, 1, "cas value must be [expected, new]"},
		{"cas triple", `{"type":"invoke","process":0,"f":"cas","value":[1,2,3]}`, 1, "cas value must be [expected, new]"},
		{"cas null member", `{"type":"invoke","process":0,"f":"cas","value":[null,2]}`, 1, "cas value must be two integers"},
		{"time not int", `{"type":"invoke","process":0,"f":"read","time":"soon"}`, 1, "time must be an integer"},
		{"error not string", `{"type":"invoke","process":0,"f":"read","error":1}`, 1, "error must be a string"},
		{"blank lines counted", "\n\n" + wOk, 3, "no open invoke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSONL(strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseJSONL = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Fatalf("error %q, want line %d containing %q", err, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error %q does not start with its line", err)
			}
		})
	}
}

// TestParseJSONLGood reads HISTORY.md's example and the forms it allows.
func TestParseJSONLGood(t *testing.T) {
	in := `{"type":"invoke","process":0,"f":"write","key":"x","value":1,"time":1000}
{"type":"ok","process":0,"f":"write","key":"x","value":1,"time":4000}
{"type":"invoke","process":1,"f":"cas","key":"x","value":[1,2],"time":5000}
{"type":"invoke","process":2,"f":"read","key":"x","value":null,"time":6000}

{"type":"ok","process":2,"f":"read","key":"x","value":2,"time":9000}
{"type":"info","process":1,"f":"cas","key":"x","value":[1,2],"time":20000}
{"type":"invoke","process":3,"f":"read","extra":"ignored"}
{"type":"ok","process":3,"f":"read","value":null}
{"type":"invoke","process":4,"f":"write","value":-7}
{"type":"fail","process":4,"f":"write","value":-7,"error":"unavailable"}
{"type":"invoke","process":2,"f":"cas","key":"x","value":[2,3]}
`
	got, err := ParseJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{Type: Invoke, Process: 0, F: model.Write, Key: "x", Has: true, Value: 1, TimeNs: 1000, Line: 1},
		{Type: Ok, Process: 0, F: model.Write, Key: "x", Has: true, Value: 1, TimeNs: 4000, Line: 2},
		{Type: Invoke, Process: 1, F: model.Cas, Key: "x", Has: true, Expected: 1, Value: 2, TimeNs: 5000, Line: 3},
		{Type: Invoke, Process: 2, F: model.Read, Key: "x", TimeNs: 6000, Line: 4},
		{Type: Ok, Process: 2, F: model.Read, Key: "x", Has: true, Value: 2, TimeNs: 9000, Line: 6},
		{Type: Info, Process: 1, F: model.Cas, Key: "x", Has: true, Expected: 1, Value: 2, TimeNs: 20000, Line: 7},
		{Type: Invoke, Process: 3, F: model.Read, Line: 8},
		{Type: Ok, Process: 3, F: model.Read, Line: 9},
		{Type: Invoke, Process: 4, F: model.Write, Has: true, Value: -7, Line: 10},
		{Type: Fail, Process: 4, F: model.Write, Has: true, Value: -7, Error: "unavailable", Line: 11},
		{Type: Invoke, Process: 2, F: model.Cas, Key: "x", Has: true, Expected: 2, Value: 3, Line: 12},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed events (-want +got):\n%s", diff)
	}
}

// TestJSONLRoundTrip: what WriteJSONL writes, ParseJSONL reads back.
func TestJSONLRoundTrip(t *testing.T) {
	events := []Event{
		{Type: Invoke, Process: 0, F: model.Cas, Key: "k\"\n√", Has: true, Expected: 1, Value: 2, TimeNs: 5, Line: 1},
		{Type: Fail, Process: 0, F: model.Cas, Key: "k\"\n√", Has: true, Expected: 1, Value: 2, Error: "unavailable", Line: 2},
		{Type: Invoke, Process: 7, F: model.Read, Line: 3},
		{Type: Ok, Process: 7, F: model.Read, Has: true, Value: -3, Line: 4},
	}
	var b strings.Builder
	if err := WriteJSONL(&b, events); err != nil {
		t.Fatal(err)
	}
	got, err := ParseJSONL(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if diff := cmp.Diff(events, got); diff != "" {
		t.Errorf("read back (-written +read):\n%s", diff)
	}
}
