package sim

import (
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// Graceful degradation (Capacity.Degrade, issue 12): "most developers
// would rather sacrifice immediate strong consistency via caching or
// partial shedding than be unavailable". A read still unanswered at its
// deadline is answered, marked degraded in the history, instead of being
// left indeterminate:
//
//   - cache: from the client's cache, the last value it saw of the key
//     (read, written, or swapped in), if it has one;
//   - one: from one replica's own state (protocol.LocalReader), asked
//     half-way to the deadline and held until it passes: the strong
//     answer wins if it comes first.
//
// The checker leaves degraded answers out of linearizability and checks
// them against the weaker guarantee of checker.CheckDegraded.

// The degradation modes.
const (
	DegradeOff   = ""
	DegradeOne   = "one"
	DegradeCache = "cache"
)

// localRead asks a replica for its own value of Key.
type localRead struct {
	ID  uint64 // the strong request's ID
	Key string
}

// Kind makes localRead a protocol.Message.
func (localRead) Kind() string { return "local-read" }

// localReadResp answers a localRead.
type localReadResp struct {
	ID    uint64
	Has   bool
	Value int64
}

// Kind makes localReadResp a protocol.Message.
func (localReadResp) Kind() string { return "local-read-resp" }

// sendLocalRead asks one replica, not the read's coordinator, for its
// value of the key.
func (s *sim) sendLocalRead(sl *slot) {
	to := s.pickCoordinator(sl, sl.coord)
	s.cause, s.depth = sl.op, 0
	sl.sends++
	s.send(sl.c.ep, int32(to), localRead{ID: sl.requestID(), Key: sl.in.Key})
}

// serveLocalRead answers a localRead at replica e.b.
func (s *sim) serveLocalRead(e event, m localRead) {
	r := &s.replicas[e.b]
	lr, ok := r.node.(protocol.LocalReader)
	if !ok {
		return // Validate refuses degrade=one for such protocols
	}
	has, v := lr.LocalRead(m.Key)
	s.cause, s.depth = e.cause, e.depth
	if s.capq != nil {
		s.beginService(e.b)
	}
	s.send(e.b, e.a, localReadResp{ID: m.ID, Has: has, Value: v})
	s.holdNs = 0
}

// onLocalRead keeps a replica's local answer for the read's deadline.
func (s *sim) onLocalRead(c *client, m localReadResp) {
	id := int(m.ID >> 48)
	if id >= len(s.slots) || s.slots[id].c != c {
		return
	}
	sl := &s.slots[id]
	if !sl.active || (m.ID>>16)&0xffffffff != sl.seq&0xffffffff || sl.hasLocal {
		return
	}
	sl.hasLocal, sl.local = true, known{m.Has, m.Value}
}

// degradedAnswer is what a read at its deadline can be answered with, if
// degradation is on and there is an answer.
func (s *sim) degradedAnswer(sl *slot) (known, bool) {
	if sl.in.Kind != model.Read || sl.resolving {
		return known{}, false
	}
	switch s.cfg.Capacity.Degrade {
	case DegradeCache:
		k := s.seen[sl.c.idx*s.cfg.Keys+sl.key]
		return k, k.has
	case DegradeOne:
		return sl.local, sl.hasLocal
	}
	return known{}, false
}

// completeDegraded answers the read with v, marked degraded.
func (s *sim) completeDegraded(sl *slot, v known) {
	sl.degraded = true
	s.stats.Degraded++
	s.complete(sl, history.Ok, protocol.Reply{Status: protocol.OK, Has: v.has, Value: v.v})
}

// localReaders says whether the protocol's nodes answer local reads.
func localReaders(p protocol.Protocol, c Config) bool {
	n := p.New(protocol.Config{Self: 0, N: c.Replicas, Options: c.ProtocolOptions, RoundTripNs: c.RoundTripNs()}, newStore())
	_, ok := n.(protocol.LocalReader)
	return ok
}
