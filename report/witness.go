package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/model"
)

// timelineCols is the width the witness timeline must fit: a terminal.
const timelineCols = 100

// partialShown is how many operations of a partial linearization are
// printed: a long history's runs to hundreds.
const partialShown = 10

// WriteWitness prints a violation's longest partial linearization and its
// minimal witness as a timeline that fits a terminal, as `casim check` and
// `casim run` do, and names values written only by operations recorded as
// not having taken effect.
func WriteWitness(w io.Writer, r checker.Result) {
	defer printPhantoms(w, r)
	if partial := r.PartialOps(); len(partial) > 0 {
		what := "partial linearization"
		if r.PartialLongest {
			what = "longest " + what
		}
		fmt.Fprintf(w, "\n%s: %d of the key's %d ops", what, len(partial), r.KeyOps())
		if len(partial) > partialShown {
			// The operations just before the one that could not follow
			// are the ones that explain it.
			fmt.Fprintf(w, ", the last %d shown", partialShown)
			partial = partial[len(partial)-partialShown:]
		}
		fmt.Fprintln(w)
		for _, op := range partial {
			fmt.Fprintf(w, "  %s\n", Describe(op))
		}
	}
	if len(r.Witness) == 0 {
		return
	}
	what := "minimal witness"
	if !r.WitnessMinimal {
		what = "witness (not fully shrunk: the time budget ran out)"
	}
	fmt.Fprintf(w, "\n%s: %s of %s that cannot be linearized together", what, plural(len(r.Witness), "op"), model.KeyPhrase(r.Key))
	if len(r.Context) > 0 {
		fmt.Fprintf(w, ",\neven if the %s marked * took effect at any time after their invoke, or never", plural(len(r.Context), "write"))
	}
	fmt.Fprint(w, "\n\n")
	all := append(slices.Clone(r.Witness), r.Context...)
	slices.SortFunc(all, func(a, b checker.Op) int { return cmp.Compare(a.Call, b.Call) })
	timeline := checker.Timeline(all, timelineCols-2)
	for _, line := range strings.Split(strings.TrimRight(timeline, "\n"), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
	defer func() {
		if r.Explanation != "" {
			fmt.Fprintf(w, "\nwhy: %s\n", r.Explanation)
		}
	}()
	if !strings.Contains(timeline, "[") {
		return // too wide to draw: the timeline was a numbered list already
	}
	fmt.Fprintln(w)
	context := map[int64]bool{}
	for _, op := range r.Context {
		context[op.Call] = true
	}
	for _, op := range all {
		mark := " "
		if context[op.Call] {
			mark = "*"
		}
		fmt.Fprintf(w, " %s%s\n", mark, Describe(op))
	}
}

// Describe is one operation with its process and where it was read from.
func Describe(op checker.Op) string {
	s := fmt.Sprintf("p%-3d %-22s", op.Process, model.Describe(op.Input, op.Output))
	switch {
	case op.Line > 0 && op.ReturnLine > 0:
		s += fmt.Sprintf(" lines %d-%d", op.Line, op.ReturnLine)
	case op.Line > 0:
		s += fmt.Sprintf(" line %d, no completion", op.Line)
	}
	return strings.TrimRight(s, " ")
}

// printPhantoms explains witness values written only by operations
// recorded as not having taken effect (see checker.Phantom).
func printPhantoms(w io.Writer, r checker.Result) {
	for _, p := range r.Phantoms() {
		fmt.Fprintf(w, "\n%s\n", p.Explain(Describe))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
