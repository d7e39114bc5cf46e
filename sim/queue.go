package sim

import "github.com/casimlab/casim/protocol"

// eventKind says what an event does when it comes due.
type eventKind uint8

const (
	evDeliver    eventKind = iota // msg from endpoint a to endpoint b
	evTimer                       // replica a's timer, if a's epoch is still n
	evClient                      // client a's timer of kind b for operation n, attempt m
	evFaultStart                  // schedule entry n begins
	evFaultEnd                    // schedule entry n ends
	evSync                        // replica a's oldest pending sync completes, if its epoch is still n
	evHeal                        // the last fault has ended: the liveness phase begins
)

// event is a value in the queue: no pointer to chase, no allocation per
// event beyond what its message carries.
type event struct {
	atNs  int64
	seq   uint64 // insertion order: ties in time resolve deterministically
	kind  eventKind
	a, b  int32
	m     uint32
	n     uint64
	msg   protocol.Message
	timer protocol.Timer
	// cause is the client operation this event works for (-1: none) and
	// depth how many messages deep it is from the client's request: the
	// simulator follows causality to count each operation's messages and
	// round trips.
	cause int32
	depth uint16
}

func (e *event) before(f *event) bool {
	if e.atNs != f.atNs {
		return e.atNs < f.atNs
	}
	return e.seq < f.seq
}

// queue is a binary min-heap of events ordered by (time, insertion).
type queue struct {
	items []event
	seq   uint64
}

func (q *queue) len() int { return len(q.items) }

func (q *queue) push(e event) {
	e.seq = q.seq
	q.seq++
	q.items = append(q.items, e)
	i := len(q.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.items[i].before(&q.items[p]) {
			break
		}
		q.items[i], q.items[p] = q.items[p], q.items[i]
		i = p
	}
}

func (q *queue) pop() event {
	top := q.items[0]
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items[last] = event{} // drop references for the collector
	q.items = q.items[:last]
	i, n := 0, last
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && q.items[r].before(&q.items[l]) {
			c = r
		}
		if !q.items[c].before(&q.items[i]) {
			break
		}
		q.items[i], q.items[c] = q.items[c], q.items[i]
		i = c
	}
	return top
}
