package sim

import (
	"math/rand/v2"

	"github.com/casimlab/casim/protocol"
)

// capReplica is one replica's queue and workers when capacity is on.
type capReplica struct {
	busy    int      // workers serving a message
	waiting []queued // FIFO: waiting[head:] wait for a worker
	head    int
	rand    *rand.Rand // service times
	// requests is what became of each client request (by ID) that
	// reached this replica, so that "overloaded" is final (the client
	// records the operation as failed): every copy of a request the
	// network duplicated gets the same fate. A copy of a shed request is
	// shed; a copy of one admitted is admitted whatever the queue, never
	// shed (an earlier copy may have run: "overloaded" would then be a
	// lie). It survives crashes, as if kept with the durable state.
	requests map[uint64]requestFate
}

// requestFate is what became of a client request at one replica.
type requestFate uint8

const (
	fateNew    requestFate = iota
	fateQueued             // admitted, waiting for a worker; no copy ran yet
	fateRan                // a copy ran
	fateShed               // answered "overloaded"
)

// unsafeShed removes one of the two mechanisms that make an "overloaded"
// failure final, for the tests that show each is needed (set only by
// export_test.go): "forget" sheds without remembering the request, so a
// late duplicate of it may still run; "any" records the operation as
// failed on any shed answer, though another copy of its request may have
// run elsewhere.
var unsafeShed string

// queued is a message waiting for a worker.
type queued struct {
	e         event
	arrivedNs int64
}

func (q *capReplica) len() int { return len(q.waiting) - q.head }

func (q *capReplica) push(e event, nowNs int64) {
	if q.head == len(q.waiting) {
		q.waiting, q.head = q.waiting[:0], 0
	}
	q.waiting = append(q.waiting, queued{e, nowNs})
}

// next takes the message to serve: the oldest, or with priority the
// oldest message between replicas if one waits (admitted work first).
func (q *capReplica) next(priority bool) queued {
	if priority {
		for i := q.head; i < len(q.waiting); i++ {
			if _, ok := q.waiting[i].e.msg.(protocol.Request); !ok {
				x := q.waiting[i]
				copy(q.waiting[q.head+1:i+1], q.waiting[q.head:i])
				q.waiting[q.head] = queued{}
				q.head++
				return x
			}
		}
	}
	return q.pop()
}

func (q *capReplica) pop() queued {
	x := q.waiting[q.head]
	q.waiting[q.head] = queued{}
	q.head++
	return x
}

// setupCapacity readies the replicas' queues, if capacity is on.
func (s *sim) setupCapacity() {
	k := s.cfg.Capacity
	if !k.On() {
		return
	}
	s.capq = make([]capReplica, s.cfg.Replicas)
	for i := range s.capq {
		s.capq[i].rand = derive(s.cfg.Seed, streamService, uint64(i))
		s.capq[i].requests = map[uint64]requestFate{}
	}
	s.queueBudgetNs = k.QueueBudgetNs
	if s.queueBudgetNs == 0 {
		s.queueBudgetNs = s.cfg.Client.AttemptTimeoutNs / 2
	}
}

// admit takes a message arriving at replica e.b: it returns false if a
// worker is free to serve it now, and otherwise queues or sheds it.
func (s *sim) admit(e event) bool {
	q := &s.capq[e.b]
	free := q.busy < s.cfg.Capacity.Workers && q.len() == 0
	if req, ok := e.msg.(protocol.Request); ok && s.cfg.Capacity.Shed {
		switch q.requests[req.ID] {
		case fateShed:
			s.shed(e, req)
			return true
		case fateNew:
			if !free && q.len() >= s.cfg.Capacity.QueueLimit {
				s.shed(e, req)
				return true
			}
			q.requests[req.ID] = fateQueued
		}
		if free {
			q.requests[req.ID] = fateRan
		}
	}
	if free {
		return false
	}
	q.push(e, s.nowNs)
	s.stats.QueuedMax = max(s.stats.QueuedMax, q.len())
	return true
}

// shed answers a client request "overloaded" at once, without running it.
func (s *sim) shed(e event, req protocol.Request) {
	q := &s.capq[e.b]
	q.requests[req.ID] = fateShed
	if unsafeShed == "forget" {
		delete(q.requests, req.ID)
	}
	s.stats.Shed++
	s.trace(traceDeliver, e.a, e.b, e.msg)
	s.cause, s.depth = e.cause, e.depth
	s.send(e.b, e.a, protocol.Reply{ID: req.ID, Token: req.Token, Status: protocol.Overloaded})
}

// beginService occupies a worker of replica i with the handler that just
// ran: what it sends leaves when the service time is over.
func (s *sim) beginService(i int32) {
	q := &s.capq[i]
	r := &s.replicas[i]
	k := s.cfg.Capacity
	q.busy++
	svc := q.rand.ExpFloat64() * float64(k.ServiceNs)
	if len(r.env.Persists) > 0 && k.WriteCost > 1 {
		svc *= k.WriteCost
	}
	s.holdNs = max(1, int64(svc))
	s.schedule(event{atNs: s.nowNs + s.holdNs, kind: evServed, a: i, n: r.epoch, cause: -1})
}

// served frees a worker of replica e.a and serves what waits.
func (s *sim) served(e event) {
	r := &s.replicas[e.a]
	if !r.up() || r.epoch != e.n || r.hold(e) {
		return
	}
	q := &s.capq[e.a]
	q.busy--
	for q.busy < s.cfg.Capacity.Workers && q.len() > 0 {
		x := q.next(s.cfg.Capacity.Queue == QueuePriority)
		if req, ok := x.e.msg.(protocol.Request); ok && s.cfg.Capacity.Shed {
			fate := q.requests[req.ID]
			if fate == fateShed || (fate != fateRan && s.nowNs-x.arrivedNs > s.queueBudgetNs) {
				s.shed(x.e, req)
				continue
			}
			q.requests[req.ID] = fateRan
		}
		s.handle(x.e)
	}
}

// leaveLater holds a message a served handler sends until its service
// ends (holdNs from now): a crash before then loses it with the replica's
// memory, and a pause holds it.
func (s *sim) leaveLater(from, to int32, m protocol.Message) {
	s.schedule(event{atNs: s.nowNs + s.holdNs, kind: evLeave, a: from, b: to, msg: m,
		n: s.replicas[from].epoch, cause: s.cause, depth: s.depth})
}

// leave sends a message whose service has ended.
func (s *sim) leave(e event) {
	r := &s.replicas[e.a]
	if !r.up() || r.epoch != e.n {
		s.stats.Dropped++
		s.trace(traceDrop, e.a, e.b, e.msg)
		return
	}
	if r.hold(e) {
		return
	}
	s.cause, s.depth = e.cause, e.depth
	s.send(e.a, e.b, e.msg)
}

// dropQueue loses a crashed replica's queue: the messages were in memory.
func (s *sim) dropQueue(n int) {
	if s.capq == nil {
		return
	}
	q := &s.capq[n]
	for q.len() > 0 {
		x := q.pop()
		s.stats.Dropped++
		s.trace(traceDrop, x.e.a, x.e.b, x.e.msg)
	}
	q.busy = 0
}
