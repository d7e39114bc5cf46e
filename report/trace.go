package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// The text trace of `casim run --trace` is printed after the check, not
// while the run goes, so that every event of an operation that the
// violation involves can be tagged (see opMarks): a person reading a few
// thousand lines then searches for "W1" instead of guessing.

// detailMaxRunes bounds a message's fields on a trace line; the protocols
// render big values compactly themselves, this only stops a runaway line.
const detailMaxRunes = 140

// WriteTrace writes a run's trace as text, the output of `casim run
// --trace`, with the events of the operations that res's check (chk)
// names in a violation tagged W1.. (witness) and C1.. (context).
func WriteTrace(w io.Writer, events []sim.TraceEvent, replicas int, res *sim.Result, chk checker.Result) {
	printTrace(w, events, replicas, markOps(res, chk))
}

// printTrace writes events as a message sequence, one handler's effect a
// line: virtual time, node, what it received or sent (a message sent to
// several nodes at once is one line), timers, faults and client
// operations. marks tags the lines of the witness's operations.
func printTrace(w io.Writer, events []sim.TraceEvent, replicas int, marks opMarks) {
	fmt.Fprintf(w, "trace: %d events", len(events))
	if len(marks.list) == 0 {
		fmt.Fprintln(w)
	} else {
		fmt.Fprintln(w, "; the first column tags the events of the violation's operations:")
		for i, m := range marks.list {
			switch {
			case i == 0:
				fmt.Fprintln(w, "witness (cannot be linearized together):")
			case !m.Witness && marks.list[i-1].Witness:
				fmt.Fprintln(w, "context (writes the witness depends on; each may have taken effect any time after its invoke, or never):")
			}
			fmt.Fprintf(w, "  %-3s %s\n", m.Tag, m.Desc)
		}
	}
	fmt.Fprintf(w, "\n%-3s %13s  %-4s %s\n", "op", "time", "node", "event")
	for i := 0; i < len(events); i++ {
		e := events[i]
		what := ""
		switch e.Kind {
		case "send":
			dests := []string{sim.EndpointName(e.To, replicas)}
			for i+1 < len(events) && sameSend(e, events[i+1]) {
				i++
				dests = append(dests, sim.EndpointName(events[i].To, replicas))
			}
			what = "→ " + strings.Join(dests, " ") + "  " + e.Msg + "  " + compactDetail(e.Detail)
		case "deliver":
			what = "← " + sim.EndpointName(e.From, replicas) + "  " + e.Msg + "  " + compactDetail(e.Detail)
			e.From = e.To // the receiver is the node that acts
		case "drop":
			what = "✗ lost: " + sim.EndpointName(e.From, replicas) + " → " + sim.EndpointName(e.To, replicas) + "  " + e.Msg
		case "invoke", "complete", "deadline", "fault":
			name := map[string]string{"complete": "reply", "deadline": "deadline passed"}[e.Kind]
			if name == "" {
				name = e.Kind
			}
			what = name + "  " + e.Detail
		case "crash":
			what = "CRASH"
		default:
			what = e.Kind
		}
		fmt.Fprintf(w, "%-3s %13s  %-4s %s\n", marks.of(e.Op).Tag, fmtMs(e.AtNs), sim.EndpointName(e.From, replicas), strings.TrimRight(what, " "))
	}
}

// sameSend says whether b is the same message as a, sent by the same
// handler to another node (a broadcast).
func sameSend(a, b sim.TraceEvent) bool {
	return b.Kind == "send" && b.AtNs == a.AtNs && b.From == a.From && b.Msg == a.Msg && b.Detail == a.Detail && b.Op == a.Op
}

var falseField = regexp.MustCompile(` ?\b[A-Za-z]+:(?:false|<nil>|\[\]|map\[\])([ }]|$)`)

// compactDetail drops a message's outer braces and its false and empty
// fields, and cuts what is left to detailMaxRunes.
func compactDetail(s string) string {
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	s = falseField.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(strings.ReplaceAll(s, " }", "}"), "{ ", "{")
	if r := []rune(s); len(r) > detailMaxRunes {
		s = string(r[:detailMaxRunes-1]) + "…"
	}
	return s
}

// fmtMs renders virtual nanoseconds as milliseconds with microseconds,
// as the simulator's own trace does.
func fmtMs(ns int64) string {
	return fmt.Sprintf("%.3fms", float64(ns)/1e6)
}
