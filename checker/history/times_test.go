package history

import "testing"

func TestBackward(t *testing.T) {
	ev := func(line int, timeNs int64) Event { return Event{Line: line, TimeNs: timeNs} }
	for _, tc := range []struct {
		name         string
		events       []Event
		at, latestAt int // lines; 0: none found
	}{
		{"forward", []Event{ev(1, 100), ev(2, 100), ev(3, 300)}, 0, 0},
		{"no times", []Event{ev(1, 0), ev(2, 0)}, 0, 0},
		{"absent times skipped", []Event{ev(1, 100), ev(2, 0), ev(3, 200)}, 0, 0},
		{"backward", []Event{ev(1, 500), ev(2, 100), ev(3, 50)}, 2, 1},
		{"backward past a later peak", []Event{ev(1, 100), ev(2, 900), ev(3, 400), ev(4, 950)}, 3, 2},
	} {
		at, latest, found := Backward(tc.events)
		if found != (tc.at != 0) || at.Line != tc.at || latest.Line != tc.latestAt {
			t.Errorf("%s: got line %d after line %d (found %v), want %d after %d", tc.name, at.Line, latest.Line, found, tc.at, tc.latestAt)
		}
	}
}
