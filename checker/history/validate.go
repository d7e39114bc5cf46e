package history

import (
	"strconv"
	"unicode/utf8"

	"github.com/casimlab/casim/model"
)

// Validator enforces the sequence rules of HISTORY.md's "Bad input" that do
// not depend on the file format: every completion closes an open invoke of
// the same process with the same f and key, a process has one operation open
// at a time, and a process whose operation ended in info never invokes
// again. Every parser feeds its events through one Validator, so the three
// formats cannot drift apart on what they accept.
//
// An invoke still open at the end is not an error: the checker treats it as
// info.
type Validator struct {
	open    map[int]Event // process -> its open invoke
	retired map[int]int   // process -> line of its info
}

// NewValidator returns a Validator for one history.
func NewValidator() *Validator {
	return &Validator{open: map[int]Event{}, retired: map[int]int{}}
}

// Add checks e against the events added before it. On error, e is not
// added.
func (v *Validator) Add(e Event) error {
	if e.Process < 0 {
		return errorf(e.Line, "process %d is negative", e.Process)
	}
	if !utf8.ValidString(e.Key) {
		return errorf(e.Line, "key %q is not valid UTF-8", e.Key)
	}
	if e.Type == Invoke {
		if prev, busy := v.open[e.Process]; busy {
			return errorf(e.Line, "process %d invokes %s while its %s from %s is still open", e.Process, e.F, prev.F, where(prev.Line))
		}
		if at, dead := v.retired[e.Process]; dead {
			return errorf(e.Line, "process %d invokes after its info at %s (a process that times out is retired; use a new process number)", e.Process, where(at))
		}
		v.open[e.Process] = e
		return nil
	}
	inv, ok := v.open[e.Process]
	if !ok {
		return errorf(e.Line, "%s on process %d with no open invoke", e.Type, e.Process)
	}
	if e.F != inv.F {
		return errorf(e.Line, "%s of %s on process %d, but its invoke at %s is %s", e.Type, e.F, e.Process, where(inv.Line), inv.F)
	}
	if e.Key != inv.Key {
		return errorf(e.Line, "%s on key %q, but its invoke at %s is on key %q", e.Type, e.Key, where(inv.Line), inv.Key)
	}
	delete(v.open, e.Process)
	if e.Type == Info {
		v.retired[e.Process] = e.Line
	}
	return nil
}

// Open returns how many invokes have no completion yet.
func (v *Validator) Open() int { return len(v.open) }

// Invoke returns the open invoke of process p, if any. Parsers use it to
// fill in what a completion line leaves out (Jepsen's info carries no value).
func (v *Validator) Invoke(p int) (Event, bool) {
	e, ok := v.open[p]
	return e, ok
}

// Validate checks a whole event sequence, e.g. one built in code rather
// than parsed.
func Validate(events []Event) error {
	v := NewValidator()
	for _, e := range events {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return nil
}

// sameValue says whether a write or cas completion repeats its invoke's
// arguments, as HISTORY.md requires ("on invoke and on completion").
func sameValue(inv, e Event) bool {
	switch inv.F {
	case model.Write:
		return e.Value == inv.Value
	case model.Cas:
		return e.Value == inv.Value && e.Expected == inv.Expected
	}
	return true
}

func where(line int) string {
	if line <= 0 {
		return "an earlier event"
	}
	return "line " + strconv.Itoa(line)
}
