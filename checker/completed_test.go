package checker

import (
	"errors"
	"testing"

	"github.com/casimlab/casim/checker/history"
)

func TestRequireCompleted(t *testing.T) {
	invoke := history.Event{Type: history.Invoke}
	for _, tc := range []struct {
		events []history.Event
		ok     bool
	}{
		{nil, false},
		{[]history.Event{invoke, invoke}, false},
		{[]history.Event{invoke, {Type: history.Info}}, true},
		{[]history.Event{invoke, {Type: history.Ok}}, true},
	} {
		err := RequireCompleted(tc.events)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrNothingCompleted)) {
			t.Errorf("%v: %v", tc.events, err)
		}
	}
}
