package checker

import (
	"fmt"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// Degraded is what CheckDegraded found of a history's degraded reads.
type Degraded struct {
	// Count is the number of degraded reads.
	Count int
	// MaxStalenessNs is the largest staleness of a degraded read: how much
	// earlier the write it returned completed than the newest write of the
	// key completed before the read was invoked (0: none was stale). An
	// absent value counts as written at time 0.
	MaxStalenessNs int64
	// Violation says which degraded read broke the weaker guarantee, and
	// Key its key ("" if none did).
	Violation, Key string
}

// write is one write or cas of a key, as event indexes and times.
type write struct {
	invoke, ret     int // ret: -1 if it did not complete ok
	invokeNs, retNs int64
}

// CheckDegraded checks each degraded read (history.Event.Degraded) against
// the guarantee a degraded answer keeps, weaker than linearizability: the
// value it returns was written by an operation invoked before the read
// returned (never a value from the future, nor one never written). How
// stale it may be is not bounded but measured: against the newest write
// of the key that completed before the read was invoked. Degraded reads
// are left out of the linearizability check (Operations), so a degraded
// answer is never counted as linearizable, nor hidden: Count reports them.
func CheckDegraded(events []history.Event) Degraded {
	var d Degraded
	for _, e := range events {
		if e.Degraded {
			d.Count++
		}
	}
	if d.Count == 0 {
		return d
	}
	// Writes per key by value; each key's ok writes in completion order.
	byValue := map[string]map[int64]*write{}
	done := map[string][]*write{}
	closed := map[int]bool{} // invokes with a completion
	for j, i := range completions(events) {
		closed[j] = true
		e, inv := events[i], events[j]
		if inv.F == model.Read || e.Type == history.Fail {
			continue
		}
		w := &write{invoke: j, ret: -1, invokeNs: inv.TimeNs}
		if e.Type == history.Ok {
			w.ret, w.retNs = i, e.TimeNs
			done[inv.Key] = append(done[inv.Key], w)
		}
		if byValue[inv.Key] == nil {
			byValue[inv.Key] = map[int64]*write{}
		}
		byValue[inv.Key][inv.Value] = w
	}
	// Writes still open at the end may have taken effect.
	for j, inv := range events {
		if inv.Type == history.Invoke && !closed[j] && inv.F != model.Read {
			if byValue[inv.Key] == nil {
				byValue[inv.Key] = map[int64]*write{}
			}
			byValue[inv.Key][inv.Value] = &write{invoke: j, ret: -1, invokeNs: inv.TimeNs}
		}
	}
	for j, i := range completions(events) {
		e, inv := events[i], events[j]
		if !e.Degraded {
			continue
		}
		var src *write // nil: the key's initial absence
		if e.Has {
			src = byValue[inv.Key][e.Value]
			if src == nil {
				d.fail(inv.Key, fmt.Sprintf("degraded read of %s returned %d, which no operation wrote", model.KeyPhrase(inv.Key), e.Value))
				continue
			}
			if src.invoke > i {
				d.fail(inv.Key, fmt.Sprintf("degraded read of %s returned %d, written by an operation invoked after the read returned", model.KeyPhrase(inv.Key), e.Value))
				continue
			}
		}
		// The newest write completed before the read was invoked.
		var newest *write
		for _, w := range done[inv.Key] {
			if w.ret < j && (newest == nil || w.ret > newest.ret) {
				newest = w
			}
		}
		if newest == nil || src == newest {
			continue
		}
		var srcNs int64
		switch {
		case src == nil:
		case src.ret < 0 || src.ret > newest.ret:
			continue // not older than the newest
		default:
			srcNs = src.retNs
		}
		d.MaxStalenessNs = max(d.MaxStalenessNs, newest.retNs-srcNs)
	}
	return d
}

func (d *Degraded) fail(key, msg string) {
	if d.Violation == "" {
		d.Violation, d.Key = msg, key
	}
}
