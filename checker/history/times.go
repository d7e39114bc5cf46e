package history

// Backward finds the first event whose time is earlier than the latest
// time before it: HISTORY.md makes times informative (line order decides),
// so a history whose times run backward is still checked by its lines,
// but it usually means lines were merged or sorted wrongly, which a user
// wants to hear about. Events with time 0 are taken as having none (the
// field is optional). It returns the event and the earlier event with the
// later time.
func Backward(events []Event) (at, latest Event, found bool) {
	var max Event
	for _, e := range events {
		if e.TimeNs == 0 {
			continue
		}
		if max.TimeNs != 0 && e.TimeNs < max.TimeNs {
			return e, max, true
		}
		if e.TimeNs > max.TimeNs {
			max = e
		}
	}
	return Event{}, Event{}, false
}
