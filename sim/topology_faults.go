package sim

import (
	"fmt"
	"math/rand/v2"
)

// Faults at the scale of fault isolation zones, for scenarios with a
// topology. Each names regions (Fault.Regions, Fault.PeerRegions, indexes
// into Topology.Regions) and, for a zone outage, the zone (Fault.Zones,
// an index into the region's zones); the simulator finds the endpoints.
const (
	// ZoneOutage makes every replica of zone Zones[0] of region
	// Regions[0] unreachable (as Isolate does one replica).
	ZoneOutage FaultKind = "zone-outage"
	// RegionOutage makes every replica of region Regions[0] unreachable.
	RegionOutage FaultKind = "region-outage"
	// RegionPartition cuts the WAN between the regions Regions and the
	// regions PeerRegions, replicas and clients alike: both ways, or only
	// from Regions to PeerRegions with OneWay.
	RegionPartition FaultKind = "region-partition"
	// WANSlow multiplies by Factor the delay of every message between
	// region Regions[0] and region PeerRegions[0] (a degraded link).
	WANSlow FaultKind = "wan-slow"
)

// topologyKinds lists the kinds that need a topology.
var topologyKinds = []FaultKind{ZoneOutage, RegionOutage, RegionPartition, WANSlow}

// drawTopologyFaults draws the zone and region faults of c's settings, from
// r, after every other kind (so that schedules without them are as they
// were).
func drawTopologyFaults(c Config, r *rand.Rand, at func(lo, hi int64) (int64, int64)) []Fault {
	t, f := c.Topology, c.Faults
	if t == nil {
		return nil
	}
	nr := len(t.Regions)
	var sched []Fault
	add := func(n int, make func() Fault) {
		if n <= 0 {
			return
		}
		for range r.IntN(n + 1) {
			p := make()
			p.StartNs, p.EndNs = at(f.PartitionMinNs, f.PartitionMaxNs)
			sched = append(sched, p)
		}
	}
	add(f.ZoneOutages, func() Fault {
		reg := r.IntN(nr)
		return Fault{Kind: ZoneOutage, Regions: []int{reg}, Zones: []int{r.IntN(max(1, t.Regions[reg].RF))}}
	})
	add(f.RegionOutages, func() Fault { return Fault{Kind: RegionOutage, Regions: []int{r.IntN(nr)}} })
	if nr > 1 {
		add(f.RegionPartitions, func() Fault {
			perm := r.Perm(nr)
			k := 1 + r.IntN(nr-1)
			return Fault{Kind: RegionPartition, Regions: sortedInts(perm[:k]), PeerRegions: sortedInts(perm[k:]), OneWay: r.IntN(3) == 0}
		})
		add(f.WANSlowLinks, func() Fault {
			perm := r.Perm(nr)
			return Fault{Kind: WANSlow, Regions: perm[:1], PeerRegions: perm[1:2], Factor: max(f.SlowFactor, 1)}
		})
	}
	return sched
}

func sortedInts(xs []int) []int {
	out := append([]int(nil), xs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// validateTopologyFault checks a topology fault of a scenario file.
func validateTopologyFault(f Fault, c Config, where string) error {
	t := c.Topology
	if t == nil {
		return fmt.Errorf("%s: needs a topology", where)
	}
	nr := len(t.Regions)
	for _, g := range append(append([]int(nil), f.Regions...), f.PeerRegions...) {
		if g < 0 || g >= nr {
			return fmt.Errorf("%s: region %d out of range 0..%d", where, g, nr-1)
		}
	}
	switch f.Kind {
	case ZoneOutage:
		if len(f.Regions) != 1 || len(f.Zones) != 1 || f.Zones[0] < 0 || f.Zones[0] >= len(t.Regions[f.Regions[0]].Zones) {
			return fmt.Errorf("%s: needs one region and one zone of it", where)
		}
	case RegionOutage:
		if len(f.Regions) != 1 {
			return fmt.Errorf("%s: needs one region", where)
		}
	case RegionPartition:
		if len(f.Regions) == 0 || len(f.PeerRegions) == 0 {
			return fmt.Errorf("%s: needs regions on both sides", where)
		}
	case WANSlow:
		if len(f.Regions) != 1 || len(f.PeerRegions) != 1 || f.Regions[0] == f.PeerRegions[0] || f.Factor < 1 {
			return fmt.Errorf("%s: needs two regions and a factor >= 1", where)
		}
	}
	return nil
}

// topologyCut adds delta to the links a zone or region fault cuts.
func (s *sim) topologyCut(f Fault, delta int32) {
	R, E := s.cfg.Replicas, s.cfg.Replicas+s.cfg.Clients
	in := func(set []int, e int) bool {
		for _, g := range set {
			if s.place.region[e] == g {
				return true
			}
		}
		return false
	}
	switch f.Kind {
	case ZoneOutage, RegionOutage:
		for n := range R {
			if !in(f.Regions, n) || (f.Kind == ZoneOutage && s.place.zone[n] != f.Zones[0]) {
				continue
			}
			for e := range E {
				if e != n {
					s.net.cutBoth(n, e, delta)
				}
			}
		}
	case RegionPartition:
		for a := range E {
			for b := range E {
				if in(f.Regions, a) && in(f.PeerRegions, b) {
					s.net.cutOneWay(a, b, delta)
					if !f.OneWay {
						s.net.cutOneWay(b, a, delta)
					}
				}
			}
		}
	}
}

// wanSlow recomputes the delay factor of every region pair from the
// faults active now.
func (s *sim) wanSlow() {
	n := s.net
	for i := range n.wanSlow {
		n.wanSlow[i] = 1
	}
	for _, g := range s.active() {
		if g.Kind == WANSlow {
			a, b := g.Regions[0], g.PeerRegions[0]
			n.wanSlow[a*n.regions+b] = max(n.wanSlow[a*n.regions+b], g.Factor)
			n.wanSlow[b*n.regions+a] = max(n.wanSlow[b*n.regions+a], g.Factor)
		}
	}
}
