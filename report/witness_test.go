package report

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
)

// A long partial linearization is cut to its last operations, the ones
// next to the conflict.
func TestWitnessShortensThePartialLinearization(t *testing.T) {
	var b strings.Builder
	for v := 1; v <= 30; v++ {
		fmt.Fprintf(&b, `{"type":"invoke","process":0,"f":"write","key":"x","value":%d}`+"\n", v)
		fmt.Fprintf(&b, `{"type":"ok","process":0,"f":"write","key":"x","value":%d}`+"\n", v)
	}
	b.WriteString(`{"type":"invoke","process":1,"f":"write","key":"x","value":100}` + "\n")
	b.WriteString(`{"type":"invoke","process":2,"f":"read","key":"x","value":null}` + "\n")
	b.WriteString(`{"type":"ok","process":2,"f":"read","key":"x","value":29}` + "\n")
	b.WriteString(`{"type":"ok","process":1,"f":"write","key":"x","value":100}` + "\n")
	events, err := history.ParseJSONL(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := checker.Check(context.Background(), events, 0)
	if err != nil || r.Verdict != checker.Illegal {
		t.Fatalf("verdict %s, %v", r.Verdict, err)
	}
	var out strings.Builder
	WriteWitness(&out, r)
	s := out.String()
	if !strings.Contains(s, "partial linearization: 28 of the key's 32 ops, the last 10 shown") ||
		!strings.Contains(s, "write(x, 28) ") || strings.Contains(s, "write(x, 18) ") {
		t.Fatalf("got:\n%s", s)
	}
}
