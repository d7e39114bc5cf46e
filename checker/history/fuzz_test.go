package history

import (
	"bytes"
	"errors"
	"testing"
)

// The fuzz targets check that no input makes a parser panic, that every
// error is a *ParseError, and that whatever a parser accepts is a valid
// history that survives a JSON Lines round trip. Seed corpora live in
// testdata/fuzz/<target>.

func FuzzParseJSONL(f *testing.F) {
	f.Add([]byte(wInv + "\n" + wOk))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := ParseJSONL(bytes.NewReader(b))
		checkParsed(t, events, err)
	})
}

func FuzzParseEDN(f *testing.F) {
	f.Add([]byte("{:type :invoke :f :cas :value [1 [2 3]] :process 0}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := ParseEDN(bytes.NewReader(b))
		checkParsed(t, events, err)
	})
}

func FuzzParseJepsenLog(f *testing.F) {
	f.Add([]byte("INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]\nINFO  jepsen.util - 3\t:fail\t:cas\t[1 4]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := ParseJepsenLog(bytes.NewReader(b))
		checkParsed(t, events, err)
	})
}

// FuzzRead exercises format detection in front of all three parsers.
func FuzzRead(f *testing.F) {
	f.Add([]byte(wInv))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, _, err := Read(bytes.NewReader(b), Auto)
		checkParsed(t, events, err)
	})
}

func checkParsed(t *testing.T, events []Event, err error) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		var ee *EmptyError
		if !errors.As(err, &pe) && !errors.As(err, &ee) {
			t.Fatalf("error %v (%T) is not a *ParseError or *EmptyError", err, err)
		}
		return
	}
	if err := Validate(events); err != nil {
		t.Fatalf("accepted an invalid history: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, events); err != nil {
		t.Fatal(err)
	}
	again, err := ParseJSONL(&buf)
	if err != nil {
		t.Fatalf("round trip: %v\n%s", err, buf.Bytes())
	}
	if len(again) != len(events) {
		t.Fatalf("round trip: %d events, want %d", len(again), len(events))
	}
	for i := range events {
		want := events[i]
		want.Line = i + 1
		if !want.Has && want.F != 0 { // write and cas always carry a value
			want.Has = true
		}
		if again[i] != want {
			t.Fatalf("round trip event %d = %+v, want %+v", i, again[i], want)
		}
	}
}

// FuzzFastLine: whatever line the fast path accepts, the general parser
// accepts too, with the same event.
func FuzzFastLine(f *testing.F) {
	f.Add([]byte(wInv))
	f.Add([]byte(wOk))
	f.Add([]byte(`{"type":"ok","process":3,"f":"cas","key":"k1","value":[4,-5],"time":12,"error":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := fastLine(b, 1)
		if !ok {
			return
		}
		slow, err := parseJSONLineGeneral(b, 1, NewValidator())
		if err != nil {
			t.Fatalf("fast path accepted %q, the general parser says %v", b, err)
		}
		if fast != slow {
			t.Fatalf("%q: fast %+v, general %+v", b, fast, slow)
		}
	})
}
