package checker

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// hist builds a history from a compact text, one event per line:
//
//	PROCESS TYPE F KEY [VALUE [NEW]] [error=TEXT]
//
// e.g. "0 invoke write x 1", "1 ok read x nil", "2 fail cas x 1 2 error=x".
// A read's VALUE is an integer or nil. The result is validated.
func hist(t testing.TB, text string) []history.Event {
	t.Helper()
	var events []history.Event
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var e history.Event
		if last := f[len(f)-1]; strings.HasPrefix(last, "error=") {
			e.Error = strings.TrimPrefix(last, "error=")
			f = f[:len(f)-1]
		}
		if len(f) < 4 {
			t.Fatalf("hist line %q: too short", line)
		}
		var ok bool
		e.Process = atoi(t, f[0])
		e.Type, ok = history.ParseType(f[1])
		if !ok {
			t.Fatalf("hist line %q: type", line)
		}
		e.F, ok = model.ParseKind(f[2])
		if !ok {
			t.Fatalf("hist line %q: f", line)
		}
		e.Key = f[3]
		switch {
		case e.F == model.Cas:
			e.Has, e.Expected, e.Value = true, int64(atoi(t, f[4])), int64(atoi(t, f[5]))
		case len(f) > 4 && f[4] != "nil":
			e.Has, e.Value = true, int64(atoi(t, f[4]))
		}
		e.Line = i + 1
		events = append(events, e)
	}
	if err := history.Validate(events); err != nil {
		t.Fatalf("hist: %v", err)
	}
	return events
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("hist: %v", err)
	}
	return n
}

// opsEvents turns witness operations back into a history, in the order of
// their original events.
func opsEvents(ops []Op) []history.Event {
	type stamped struct {
		at int64
		e  history.Event
	}
	var all []stamped
	for _, op := range ops {
		inv := history.Event{Type: history.Invoke, Process: op.Process, F: op.Input.Kind, Key: op.Input.Key,
			Has: op.Input.Kind != model.Read, Value: op.Input.Value, Expected: op.Input.Expected}
		all = append(all, stamped{op.Call, inv})
		if op.Return == Never {
			continue
		}
		done := inv
		switch op.Output.Status {
		case model.Ok:
			done.Type = history.Ok
			if op.Input.Kind == model.Read {
				done.Has, done.Value = op.Output.Has, op.Output.Value
			}
		case model.CompareFailed:
			done.Type = history.Fail
		}
		all = append(all, stamped{op.Return, done})
	}
	slices.SortFunc(all, func(a, b stamped) int { return cmpInt(a.at, b.at) })
	events := make([]history.Event, len(all))
	for i, s := range all {
		events[i] = s.e
	}
	return events
}
