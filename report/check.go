package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// CheckRun is what a check's output names beside its result: the
// history's name and format, how long the check took and its time budget
// (named when it ran out).
type CheckRun struct {
	Name    string // a file name, or "stdin"
	Format  history.Format
	Elapsed time.Duration
	Budget  time.Duration
}

// WriteCheck prints a check's verdict for people, as `casim check` does;
// for a violation, the longest partial linearization and the minimal
// witness as a timeline.
func WriteCheck(w io.Writer, c CheckRun, r checker.Result) {
	name, format, elapsed, budget := c.Name, c.Format, c.Elapsed, c.Budget
	summary := fmt.Sprintf("%s, %s on %s", format, plural(r.Ops, "op"), plural(r.Keys, "key"))
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
	WriteWitness(w, r)
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

// checkJSON is `casim check --json`; its fields are documented in the
// README and stay as they are.
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

// WriteCheckJSON prints a check's result as the one JSON object of `casim
// check --json`: verdict, keys and how each was checked, degraded reads,
// and for a violation the key, partial linearization, witness and
// explanation, operations in HISTORY.md's terms.
func WriteCheckJSON(w io.Writer, c CheckRun, r checker.Result) error {
	j := checkJSON{File: c.Name, Format: c.Format, Verdict: r.Verdict, Ops: r.Ops, Keys: r.Keys,
		KeysDecided: r.KeysDecided, Reduced: r.Reduced, Undecided: r.Undecided, WallNs: c.Elapsed.Nanoseconds(),
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
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
