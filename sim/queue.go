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
	evServed                      // a worker of replica a finished a service, if a's epoch is still n
	evArrive                      // open-loop client a's next operation arrives
	evLeave                       // replica a's message to b leaves after its service, if a's epoch is still n
	evFlush                       // replica a's periodic storage flushes, if its epoch is still n
)

// event is what happens when it comes due: a value, with no pointer to
// chase and no allocation per event beyond what its message carries.
type event struct {
	atNs  int64
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

// entry is what the heap orders: small and free of pointers, so that the
// heap's swaps move 24 bytes and need no garbage-collector write barriers.
// The event itself waits in the slab.
type entry struct {
	atNs int64
	seq  uint64 // insertion order: ties in time resolve deterministically
	slot int32
}

func (e *entry) before(f *entry) bool {
	if e.atNs != f.atNs {
		return e.atNs < f.atNs
	}
	return e.seq < f.seq
}

// queue is a binary min-heap of events ordered by (time, insertion).
type queue struct {
	heap []entry
	slab []event // events by slot
	free []int32 // slots of slab not in use
	seq  uint64
}

func (q *queue) len() int { return len(q.heap) }

func (q *queue) push(e event) {
	var slot int32
	if n := len(q.free); n > 0 {
		slot = q.free[n-1]
		q.free = q.free[:n-1]
		q.slab[slot] = e
	} else {
		slot = int32(len(q.slab))
		q.slab = append(q.slab, e)
	}
	q.heap = append(q.heap, entry{atNs: e.atNs, seq: q.seq, slot: slot})
	q.seq++
	h := q.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue) pop() event {
	h := q.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	q.heap = h
	i, n := 0, last
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h[r].before(&h[l]) {
			c = r
		}
		if !h[c].before(&h[i]) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	e := q.slab[top.slot]
	q.slab[top.slot] = event{} // drop references for the collector
	q.free = append(q.free, top.slot)
	return e
}
