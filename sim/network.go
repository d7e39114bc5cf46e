package sim

import (
	"math/rand/v2"

	"github.com/casimlab/casim/protocol"
)

// Endpoints number replicas 0..R-1 and clients R..R+C-1.

// network decides each message's fate: lost, late, or twice.
type network struct {
	cfg       Network
	endpoints int
	links     []*rand.Rand // per directed link, drawn lazily
	seed      uint64
	// cut[a*endpoints+b] counts the active faults cutting a→b.
	cut []int32
}

func newNetwork(cfg Network, seed uint64, endpoints int) *network {
	return &network{cfg: cfg, endpoints: endpoints, seed: seed,
		links: make([]*rand.Rand, endpoints*endpoints), cut: make([]int32, endpoints*endpoints)}
}

func (n *network) link(a, b int32) *rand.Rand {
	i := int(a)*n.endpoints + int(b)
	r := n.links[i]
	if r == nil {
		r = derive(n.seed, streamLink, uint64(i))
		n.links[i] = r
	}
	return r
}

func (n *network) isCut(a, b int32) bool { return n.cut[int(a)*n.endpoints+int(b)] > 0 }

// setCut adds delta to the cut count of both directions between a and b.
func (n *network) setCut(a, b int32, delta int32) {
	n.cut[int(a)*n.endpoints+int(b)] += delta
	n.cut[int(b)*n.endpoints+int(a)] += delta
}

// delays returns the delivery delays of one message from a to b: none if
// it is lost, two if it is duplicated.
func (n *network) delays(a, b int32) (d1, d2 int64, copies int) {
	if a == b {
		return 0, 0, 1 // a replica's messages to itself do not cross the network
	}
	r := n.link(a, b)
	if r.Float64() < n.cfg.DropRatio {
		return 0, 0, 0
	}
	d1 = n.latency(r)
	if n.cfg.DupRatio > 0 && r.Float64() < n.cfg.DupRatio {
		return d1, n.latency(r), 2
	}
	return d1, 0, 1
}

func (n *network) latency(r *rand.Rand) int64 {
	return n.cfg.LatencyMinNs + int64(r.ExpFloat64()*float64(n.cfg.LatencyMeanNs))
}

// send is how every message enters the network.
func (s *sim) send(from, to int32, m protocol.Message) {
	s.stats.Messages++
	if s.net.isCut(from, to) {
		s.stats.Dropped++
		s.trace(traceDrop, from, to, m)
		return
	}
	d1, d2, copies := s.net.delays(from, to)
	if copies == 0 {
		s.stats.Dropped++
		s.trace(traceDrop, from, to, m)
		return
	}
	s.schedule(event{atNs: s.nowNs + d1, kind: evDeliver, a: from, b: to, msg: m})
	if copies == 2 {
		s.stats.Duplicated++
		s.schedule(event{atNs: s.nowNs + d2, kind: evDeliver, a: from, b: to, msg: m})
	}
}
