package sim

import (
	"github.com/casimlab/casim/protocol"
)

// Endpoints number replicas 0..R-1 and clients R..R+C-1.

// network decides each message's fate: lost, late, or twice.
type network struct {
	cfg       Network
	endpoints int
	seed      uint64
	rand      keyed
	// cut[a*endpoints+b] counts the active faults cutting a→b.
	cut []int32
	// slow[e] is the delay factor of endpoint e (1: normal).
	slow []float64
	// healed: the liveness phase has begun; no message is lost or
	// reordered any more.
	healed bool
}

func newNetwork(cfg Network, seed uint64, endpoints int) *network {
	n := &network{cfg: cfg, endpoints: endpoints, seed: seed, rand: newKeyed(),
		cut:  make([]int32, endpoints*endpoints),
		slow: make([]float64, endpoints)}
	for i := range n.slow {
		n.slow[i] = 1
	}
	return n
}

func (n *network) isCut(a, b int32) bool { return n.cut[int(a)*n.endpoints+int(b)] > 0 }

// cutOneWay adds delta to the cut count of a→b.
func (n *network) cutOneWay(a, b int, delta int32) { n.cut[a*n.endpoints+b] += delta }

// cutBoth adds delta to the cut count of both directions between a and b.
func (n *network) cutBoth(a, b int, delta int32) {
	n.cutOneWay(a, b, delta)
	n.cutOneWay(b, a, delta)
}

// delays returns the delivery delays of one message from a to b: none if
// it is lost, two if it is duplicated. key names the message (see rand.go).
func (n *network) delays(a, b int32, opKey, index uint64) (d1, d2 int64, copies int) {
	if a == b {
		return 0, 0, 1 // a replica's messages to itself do not cross the network
	}
	r := n.rand.at(n.seed, streamMessage<<48|uint64(a)<<24|uint64(b), opKey, index)
	// Every draw is made whether or not it is used, so that one message's
	// fate does not shift the draws of the next.
	drop, dup, reorder := r.Float64(), r.Float64(), r.Float64()
	d1, d2 = n.cfg.Latency.draw(r), n.cfg.Latency.draw(r)
	extra := r.Int64N(n.cfg.ReorderMaxNs + 1)
	if f := max(n.slow[a], n.slow[b]); f != 1 {
		d1, d2 = int64(float64(d1)*f), int64(float64(d2)*f)
	}
	if n.healed {
		return d1, 0, 1
	}
	if drop < n.cfg.DropRatio {
		return 0, 0, 0
	}
	if reorder < n.cfg.ReorderRatio {
		d1 += extra
	}
	if dup < n.cfg.DupRatio {
		return d1, d2, 2
	}
	return d1, 0, 1
}

// send is how every message enters the network.
// The message works for s.cause, one hop deeper than s.depth.
func (s *sim) send(from, to int32, m protocol.Message) {
	if s.holdNs > 0 {
		s.leaveLater(from, to, m)
		return
	}
	s.stats.Messages++
	opKey, index := uint64(1)<<63, uint64(s.stats.Messages)
	if s.cause >= 0 && from != to {
		rec := &s.opRecs[s.cause]
		rec.messages++
		opKey, index = rec.key, uint64(rec.messages)
	}
	s.trace(traceSend, from, to, m)
	if s.net.isCut(from, to) {
		s.stats.Dropped++
		s.trace(traceDrop, from, to, m)
		return
	}
	d1, d2, copies := s.net.delays(from, to, opKey, index)
	if copies == 0 {
		s.stats.Dropped++
		s.trace(traceDrop, from, to, m)
		return
	}
	e := event{atNs: s.nowNs + d1, kind: evDeliver, a: from, b: to, msg: m, cause: s.cause, depth: s.depth + 1}
	s.schedule(e)
	if copies == 2 {
		s.stats.Duplicated++
		e.atNs = s.nowNs + d2
		s.schedule(e)
	}
}
