package report_test

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/report"
)

// Check a history and print the verdict as `casim check` does, then as
// `casim check --json` does.
func ExampleWriteCheck() {
	const h = `{"type":"invoke","process":0,"f":"write","key":"x","value":1}
{"type":"ok","process":0,"f":"write","key":"x","value":1}
{"type":"invoke","process":1,"f":"read","key":"x","value":null}
{"type":"ok","process":1,"f":"read","key":"x","value":2}
`
	events, format, err := history.Read(strings.NewReader(h), history.Auto)
	if err != nil {
		panic(err)
	}
	r, err := checker.Check(context.Background(), events, time.Minute)
	if err != nil {
		panic(err)
	}
	run := report.CheckRun{Name: "h.jsonl", Format: format}
	report.WriteCheck(os.Stdout, run, r)
	if err := report.WriteCheckJSON(os.Stdout, run, r); err != nil {
		panic(err)
	}
	// Output:
	// h.jsonl: NOT linearizable: key "x" (jsonl, 2 ops on 1 key, 0s, checked by unique)
	//
	// minimal witness: 1 op of key "x" that cannot be linearized together
	//
	//   p1 [r 2]
	//
	//   p1   read(x) → 2            lines 3-4
	//
	// why: p1 read(x) → 2 needs 2, which no operation that may have taken effect wrote
	//
	// 2 was never written: no operation of the history writes it, so no order of the operations can return it
	// {"file":"h.jsonl","format":"jsonl","verdict":"illegal","key":"x","ops":2,"keys":1,"keys_decided":1,"reduced":0,"witness":[{"process":1,"type":"ok","f":"read","key":"x","value":2,"line":3,"return_line":4}],"witness_minimal":true,"explanation":"p1 read(x) → 2 needs 2, which no operation that may have taken effect wrote","algorithm":"auto","key_checks":[{"key":"x","algorithm":"unique"}],"wall_ns":0}
}
