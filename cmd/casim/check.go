package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/report"
)

// checkStdin is what `casim check -` reads; tests replace it.
var checkStdin io.Reader = os.Stdin

// cmdCheck is `casim check [flags] FILE`: read a history in any of the
// supported formats and decide whether it is linearizable.
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "[flags] FILE   (FILE - reads standard input)", stderr)
	formatText := fs.String("format", string(history.Auto), "history `format`: auto, jsonl, edn or jepsen-log")
	budget := fs.Duration("timeout", time.Minute, "time budget for the whole check, witness included (0: none); when it runs out the verdict is unknown")
	htmlPath := fs.String("html", "", "write porcupine's visualization, witness marked, to `file`")
	asJSON := fs.Bool("json", false, "print one JSON object: verdict, key, witness")
	algText := fs.String("algorithm", string(checker.Auto), "`how` keys are checked: auto (unique where written values are unique, else porcupine), unique or porcupine")
	if code := fs.parse(args, 1); code >= 0 {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "casim check: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() != 1 {
		return fail("missing FILE (see casim check -h)")
	}
	format, ok := history.ParseFormat(*formatText)
	if !ok {
		return fail("unknown --format %q (want auto, jsonl, edn or jepsen-log)", *formatText)
	}
	if *budget < 0 {
		return fail("--timeout must be >= 0")
	}
	if err := checkWritable(*htmlPath); err != nil {
		return fail("--html: %v", err)
	}
	alg, ok := checker.ParseAlgorithm(*algText)
	if !ok {
		return fail("unknown --algorithm %q (want auto, unique or porcupine)", *algText)
	}
	path := fs.Arg(0)
	name := path
	var in io.Reader = checkStdin
	if path == "-" {
		name = "stdin"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		in = f
	}
	start := time.Now()
	events, format, err := history.Read(in, format)
	var empty *history.EmptyError
	if errors.As(err, &empty) {
		return fail("%s: %v", name, err)
	}
	if err != nil {
		return fail("%s %v", name, err) // "FILE line N: ..."
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := checker.CheckWith(ctx, events, checker.Options{Budget: *budget, Algorithm: alg})
	if err != nil {
		return fail("%s: %v", name, err)
	}
	elapsed := time.Since(start)
	if *htmlPath != "" {
		if err := writeFile(*htmlPath, func(w io.Writer) error { return res.WriteHTMLReport(w, name) }); err != nil {
			return fail("--html: %v", err)
		}
	}
	if *asJSON {
		printCheckJSON(stdout, name, format, res, elapsed)
	} else {
		printCheck(stdout, name, format, res, elapsed, *budget)
	}
	switch res.Verdict {
	case checker.Linearizable:
		return exitOK
	case checker.Illegal:
		return exitViolation
	}
	return exitUnknown
}

// printCheck prints the verdict for people; for a violation, the longest
// partial linearization and the minimal witness as a timeline.
func printCheck(w io.Writer, name string, format history.Format, r checker.Result, elapsed, budget time.Duration) {
	summary := fmt.Sprintf("%s, %d ops on %s", format, r.Ops, plural(r.Keys, "key"))
	if r.Reduced > 0 {
		summary += fmt.Sprintf(", %d indeterminate left out as irrelevant", r.Reduced)
	}
	if d := r.Degraded; d.Count > 0 {
		summary += fmt.Sprintf(", %s left out, checked as degraded (largest staleness %s)",
			plural(d.Count, "degraded read"), time.Duration(d.MaxStalenessNs))
	}
	summary += ", " + elapsed.Round(time.Millisecond).String() + ", checked by " + r.AlgorithmSummary()
	switch r.Verdict {
	case checker.Linearizable:
		fmt.Fprintf(w, "%s: linearizable (%s)\n", name, summary)
		return
	case checker.Unknown:
		why := fmt.Sprintf("the time budget (%s) ran out", budget)
		if n := r.UniqueUndecided(); n > 0 {
			why = fmt.Sprintf("--algorithm unique could not decide %s", plural(n, "key"))
		}
		fmt.Fprintf(w, "%s: unknown: %s; %d of %d keys decided, all linearizable so far (%s)\n",
			name, why, r.KeysDecided, r.Keys, summary)
		if len(r.Undecided) > 0 {
			fmt.Fprintf(w, "undecided keys: %s\n", quoteAll(r.Undecided, r.Keys-r.KeysDecided))
		}
		return
	}
	fmt.Fprintf(w, "%s: NOT linearizable: %s (%s)\n", name, model.KeyPhrase(r.Key), summary)
	if r.Degraded.Violation != "" && len(r.Witness) == 0 {
		fmt.Fprintln(w, r.Degraded.Violation)
		return
	}
	report.WriteWitness(w, r)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func quoteAll(keys []string, total int) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	s := strings.Join(q, ", ")
	if total > len(keys) {
		s += fmt.Sprintf(" and %d more", total-len(keys))
	}
	return s
}

// checkJSON is `casim check --json`.
type checkJSON struct {
	File           string          `json:"file"`
	Format         history.Format  `json:"format"`
	Verdict        checker.Verdict `json:"verdict"`
	Key            *string         `json:"key,omitempty"`
	Ops            int             `json:"ops"`
	Keys           int             `json:"keys"`
	KeysDecided    int             `json:"keys_decided"`
	Reduced        int             `json:"reduced"`
	Undecided      []string        `json:"undecided,omitempty"`
	Partial        []opJSON        `json:"partial,omitempty"`
	Witness        []opJSON        `json:"witness,omitempty"`
	Context        []opJSON        `json:"context,omitempty"`
	WitnessMinimal *bool           `json:"witness_minimal,omitempty"`
	Explanation    string          `json:"explanation,omitempty"`
	Algorithm      string          `json:"algorithm"`
	KeyChecks      []keyCheckJSON  `json:"key_checks"`
	// Degraded reads (issue 12), absent when there are none.
	Degraded       int   `json:"degraded,omitempty"`
	MaxStalenessNs int64 `json:"max_staleness_ns,omitempty"`
	WallNs         int64 `json:"wall_ns"`
}

// keyCheckJSON is how one key was checked.
type keyCheckJSON struct {
	Key       string `json:"key"`
	Algorithm string `json:"algorithm"`
	Fallback  string `json:"fallback,omitempty"`
}

// opJSON is an operation in HISTORY.md's terms: its completion type and
// value (the read result, the written value, or [expected, new]).
type opJSON struct {
	Process    int    `json:"process"`
	Type       string `json:"type"`
	F          string `json:"f"`
	Key        string `json:"key"`
	Value      any    `json:"value"`
	Line       int    `json:"line,omitempty"`
	ReturnLine int    `json:"return_line,omitempty"`
}

func toJSONOps(ops []checker.Op) []opJSON {
	out := make([]opJSON, len(ops))
	for i, op := range ops {
		j := opJSON{Process: op.Process, F: op.Input.Kind.String(), Key: op.Input.Key, Line: op.Line, ReturnLine: op.ReturnLine}
		j.Type = map[model.Status]string{model.Ok: "ok", model.CompareFailed: "fail", model.Unknown: "info"}[op.Output.Status]
		switch op.Input.Kind {
		case model.Read:
			if op.Output.Status == model.Ok && op.Output.Has {
				j.Value = op.Output.Value
			}
		case model.Write:
			j.Value = op.Input.Value
		case model.Cas:
			j.Value = [2]int64{op.Input.Expected, op.Input.Value}
		}
		out[i] = j
	}
	return out
}

func printCheckJSON(w io.Writer, name string, format history.Format, r checker.Result, elapsed time.Duration) {
	j := checkJSON{File: name, Format: format, Verdict: r.Verdict, Ops: r.Ops, Keys: r.Keys,
		KeysDecided: r.KeysDecided, Reduced: r.Reduced, Undecided: r.Undecided, WallNs: elapsed.Nanoseconds(),
		Algorithm: string(r.Algorithm), KeyChecks: []keyCheckJSON{},
		Degraded: r.Degraded.Count, MaxStalenessNs: r.Degraded.MaxStalenessNs}
	for _, k := range r.KeyChecks {
		j.KeyChecks = append(j.KeyChecks, keyCheckJSON{Key: k.Key, Algorithm: string(k.Algorithm), Fallback: k.Fallback})
	}
	if r.Verdict == checker.Illegal {
		j.Key = &r.Key
		j.Partial = toJSONOps(r.PartialOps())
		j.Witness = toJSONOps(r.Witness)
		j.Context = toJSONOps(r.Context)
		j.WitnessMinimal = &r.WitnessMinimal
		j.Explanation = r.Explanation
	}
	b, _ := json.Marshal(j)
	fmt.Fprintf(w, "%s\n", b)
}
