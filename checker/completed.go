package checker

import (
	"errors"
	"fmt"

	"github.com/casimlab/casim/checker/history"
)

// ErrNothingCompleted is returned by RequireCompleted for a history in
// which no operation completed.
var ErrNothingCompleted = errors.New("no operation completed")

// RequireCompleted refuses a history in which no operation completed (no
// ok, fail or info event): an empty file, blank lines, or invokes only.
// Such a history is trivially linearizable, and the usual way to get one
// is a broken pipeline, which a verdict of "linearizable" would hide.
func RequireCompleted(events []history.Event) error {
	invokes := 0
	for _, e := range events {
		if e.Type != history.Invoke {
			return nil
		}
		invokes++
	}
	if invokes == 0 {
		return fmt.Errorf("%w: the history has no events", ErrNothingCompleted)
	}
	what := "invocations"
	if invokes == 1 {
		what = "invocation"
	}
	return fmt.Errorf("%w: the history has %d %s and no ok, fail or info", ErrNothingCompleted, invokes, what)
}
