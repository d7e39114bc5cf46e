package sim

import (
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// Open-loop clients (Capacity.LoadPerSec > 0) invoke at Poisson arrival
// times whether or not their earlier operations have finished, so that
// the offered load does not fall when the system slows down, as it does
// with a closed loop: that is what lets offered load exceed capacity.
// The history allows one open operation per process, so each operation
// in flight runs in a slot of its own; a slot freed by a completed
// operation is reused, and a new one (a new process) is made when none
// is free.

// setupOpenLoop schedules each client's first arrival.
func (s *sim) setupOpenLoop() {
	s.slotsLeft = len(s.clients) // each client's arrivals, until its plan is done
	for i := range s.clients {
		c := &s.clients[i]
		c.arrivals = derive(s.cfg.Seed, streamArrival, uint64(i))
		c.limit = aimdInitialLimit
		s.nextArrival(c)
	}
}

// rateAt is client c's arrival rate (per second) now, for its next
// operation: the load, ramped over the client's operations, times the
// surge factor while a surge lasts.
func (s *sim) rateAt(c *client) float64 {
	k := s.cfg.Capacity
	rate := k.LoadPerSec
	if k.RampFactor > 1 && len(c.plan) > 1 {
		rate *= 1 + (k.RampFactor-1)*float64(c.issued)/float64(len(c.plan)-1)
	}
	if k.SurgeForNs > 0 && s.nowNs >= k.SurgeAtNs && s.nowNs < k.SurgeAtNs+k.SurgeForNs {
		rate *= k.SurgeFactor
	}
	return rate
}

func (s *sim) nextArrival(c *client) {
	rate := s.rateAt(c)
	gapNs := int64(1e9 * c.arrivals.ExpFloat64() / max(rate, 1e-9))
	s.schedule(event{atNs: s.nowNs + max(1, gapNs), kind: evArrive, a: int32(c.idx), cause: -1})
}

// arrive invokes client c's next operation in a free slot.
func (s *sim) arrive(c *client) {
	if c.issued >= len(c.plan) {
		s.slotsLeft--
		return
	}
	var sl *slot
	if n := len(c.idle); n > 0 {
		sl = &s.slots[c.idle[n-1]]
		c.idle = c.idle[:n-1]
	} else {
		if len(s.slots) >= maxOpenLoopSlots {
			// Request IDs have room for this many slots: past it the
			// arrival waits for the next.
			s.nextArrival(c)
			return
		}
		id := len(s.slots)
		s.slots = append(s.slots, slot{id: id, c: c, process: s.nextProcess, op: -1, opRand: newKeyed()})
		s.nextProcess++
		sl = &s.slots[id]
	}
	s.slotsLeft++
	c.inflight++
	if s.cfg.Capacity.Limit != "" && float64(c.inflight) > c.limit {
		sl.limited = true
	}
	s.startOp(sl)
	s.nextArrival(c)
}

// openDone returns a finished open-loop operation's slot to its client
// and adapts the client's concurrency limit (limit.go).
func (s *sim) openDone(sl *slot, t history.Type, r protocol.Reply) {
	c := sl.c
	c.inflight--
	s.slotsLeft--
	c.idle = append(c.idle, sl.id)
	if sl.limited {
		sl.limited = false
		return
	}
	s.adaptLimit(c, sl, t, r)
}

// drawKey picks an operation's key: k0 with the hot ratio, else uniform.
// With no hot key it draws exactly what it always did.
func (s *sim) drawKey(r interface {
	IntN(int) int
	Float64() float64
}) int {
	if h := s.cfg.Capacity.HotRatio; h > 0 && r.Float64() < h {
		return 0
	}
	return r.IntN(s.cfg.Keys)
}

// retryAllowed holds a client's retries to its retry budget.
func (s *sim) retryAllowed(c *client) bool {
	b := s.cfg.Capacity.RetryBudgetRatio
	return b == 0 || float64(c.retries) < retryBudgetFloor+b*float64(c.issued)
}

// shedKey names one request copy shed by one replica.
type shedKey struct {
	id   uint64
	from int32
}

// onOverloaded takes a replica's "overloaded" answer. The operation did
// not take effect there; if every request the operation sent was shed, it
// did not take effect at all, and fails definitely when it cannot retry.
func (s *sim) onOverloaded(c *client, r protocol.Reply, from int32) {
	id := int(r.ID >> 48)
	if id >= len(s.slots) || s.slots[id].c != c {
		return
	}
	sl := &s.slots[id]
	if !sl.active || (r.ID>>16)&0xffffffff != sl.seq&0xffffffff || (r.ID&resolveBit != 0) != sl.resolving {
		return
	}
	k := shedKey{r.ID, from}
	for _, x := range sl.sheds {
		if x == k {
			return // a duplicate of an answer already taken
		}
	}
	sl.sheds = append(sl.sheds, k)
	if uint32(r.ID&attemptMask) != sl.attempt {
		return
	}
	if !sl.resolving && (!s.cfg.Client.Retry || !s.retryAllowed(c)) && sl.definitelyShed() {
		s.complete(sl, history.Fail, r)
		return
	}
	s.backoff(sl)
}

// definitelyShed: every request the operation sent was answered
// "overloaded" (a read has no effect to fear).
func (sl *slot) definitelyShed() bool {
	if unsafeShed == "any" {
		return len(sl.sheds) > 0
	}
	return len(sl.sheds) > 0 && (sl.in.Kind == model.Read || len(sl.sheds) >= sl.sends)
}
