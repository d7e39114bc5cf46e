// Package history is casim's history format (HISTORY.md in the design
// notes): Jepsen's event model, one event per line. It reads and writes the
// JSON Lines form, validates event sequences, and is what the simulator
// records and the checker consumes.
package history

import "github.com/casimlab/casim/model"

// Type is an event's type.
type Type uint8

// Event types. An operation is an Invoke followed later by exactly one of
// Ok, Fail or Info from the same process.
const (
	Invoke Type = iota
	Ok
	Fail
	Info
)

var typeNames = [...]string{"invoke", "ok", "fail", "info"}

// String returns the name used in histories.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type?"
}

// ParseType is the inverse of Type.String.
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), true
		}
	}
	return 0, false
}

// Event is one line of a history.
//
// The value is flattened: Has says whether the JSON value is non-null;
// Value is the read result or the written value; for cas, Expected and Value
// are the pair [Expected, Value].
type Event struct {
	Type     Type
	Process  int
	F        model.Kind
	Key      string
	Has      bool
	Value    int64
	Expected int64
	TimeNs   int64
	// Error, on a Fail, marks a failure that is not a failed compare: the
	// operation did not take effect and is dropped from checking.
	Error string
	// Degraded, on an ok read, marks an answer given without the
	// protocol's guarantee (a client's degraded read, issue 12): the
	// checker leaves it out of linearizability and checks it against the
	// weaker guarantee of checker.CheckDegraded. JSON Lines: "degraded":
	// true, after "error"; absent means false.
	Degraded bool
	// Line is the 1-based line the event was read from; 0 if it was not
	// read from a file.
	Line int
}
