package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Topology places a scenario's replicas and clients in regions and zones
// and gives each kind of link its own latency, as a deployment across
// fault isolation zones has them. A scenario without one is the flat lan
// cluster of Network.Latency (casim's default, unchanged).
//
// Replication is Cassandra's NetworkTopologyStrategy: each region holds
// RF replicas of every key, one per zone (its first RF zones), so RF may
// not exceed the region's zones. Clients are spread over ClientRegions
// (every region if empty) in turn, and within a region over its zones.
// Replicas are numbered region by region, zone by zone.
type Topology struct {
	// Name is a preset's name, for display; a file may leave it empty.
	Name    string   `json:"name,omitempty"`
	Regions []Region `json:"regions"`
	// SameZone and CrossZone are the one-way latencies within a zone and
	// between zones of one region; WAN gives each pair of regions its own.
	SameZone  Latency   `json:"same_zone"`
	CrossZone Latency   `json:"cross_zone"`
	WAN       []WANLink `json:"wan"`
	// ClientRegions lists the regions clients run in (names).
	ClientRegions []string `json:"client_regions,omitempty"`
	// ZoneAware: a client prefers a coordinator in its own zone, as a
	// driver's rack-aware policy does; otherwise any in its region.
	ZoneAware bool `json:"zone_aware,omitempty"`
}

// Region is one region: its zones and how many replicas it holds.
type Region struct {
	Name  string   `json:"name"`
	Zones []string `json:"zones"`
	RF    int      `json:"rf"`
}

// WANLink is the one-way latency between two regions, both ways.
type WANLink struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Latency Latency `json:"latency"`
}

// Clone returns a deep copy of t (nil for nil): configurations must not
// share one.
func (t *Topology) Clone() *Topology {
	if t == nil {
		return nil
	}
	c := *t
	c.Regions = slices.Clone(t.Regions)
	for i := range c.Regions {
		c.Regions[i].Zones = slices.Clone(t.Regions[i].Zones)
	}
	c.WAN = slices.Clone(t.WAN)
	c.ClientRegions = slices.Clone(t.ClientRegions)
	return &c
}

// ClientRegion names the region client c runs in: empty without a
// topology.
func (c Config) ClientRegion(client int) string {
	t := c.Topology
	if t == nil || t.validate() != nil {
		return ""
	}
	return t.Regions[t.place(client + 1).region[t.Replicas()+client]].Name
}

// Describe renders t in a line: its regions with their replicas and
// zones, and the typical round trip of each kind of link.
func (t *Topology) Describe() string {
	var b strings.Builder
	if t.Name != "" {
		b.WriteString(t.Name + ": ")
	}
	for i, r := range t.Regions {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d/%d zones", r.Name, r.RF, len(r.Zones))
	}
	fmt.Fprintf(&b, "; round trips: zone %s, cross-zone %s", fmtNs(2*t.SameZone.typicalNs()), fmtNs(2*t.CrossZone.typicalNs()))
	for _, l := range t.WAN {
		fmt.Fprintf(&b, ", %s-%s %s", l.From, l.To, fmtNs(2*l.Latency.typicalNs()))
	}
	if t.ZoneAware {
		b.WriteString("; zone-aware clients")
	}
	return b.String()
}

// Replicas is the number of replicas the topology places: the sum of the
// regions' replication factors.
func (t *Topology) Replicas() int {
	n := 0
	for _, r := range t.Regions {
		n += r.RF
	}
	return n
}

func (t *Topology) region(name string) int {
	return slices.IndexFunc(t.Regions, func(r Region) bool { return r.Name == name })
}

// validate reports the first thing wrong with t, naming it.
func (t *Topology) validate() error {
	if len(t.Regions) == 0 {
		return fmt.Errorf("topology: no regions")
	}
	for i, r := range t.Regions {
		if r.Name == "" {
			return fmt.Errorf("topology: region %d has no name", i+1)
		}
		if t.region(r.Name) != i {
			return fmt.Errorf("topology: region %q is named twice", r.Name)
		}
		if len(r.Zones) == 0 {
			return fmt.Errorf("topology: region %s has no zones", r.Name)
		}
		if r.RF < 0 || r.RF > len(r.Zones) {
			return fmt.Errorf("topology: region %s has replication factor %d but %d zones (one replica per zone)", r.Name, r.RF, len(r.Zones))
		}
	}
	if t.Replicas() < 1 {
		return fmt.Errorf("topology: no region holds a replica")
	}
	for _, l := range []struct {
		name string
		lat  Latency
	}{{"same_zone", t.SameZone}, {"cross_zone", t.CrossZone}} {
		if err := latencyError(l.lat); err != nil {
			return fmt.Errorf("topology: %s latency: %v", l.name, err)
		}
	}
	have := map[[2]int]bool{}
	for _, w := range t.WAN {
		a, b := t.region(w.From), t.region(w.To)
		for _, n := range []string{w.From, w.To} {
			if t.region(n) < 0 {
				return fmt.Errorf("topology: wan latency names unknown region %q", n)
			}
		}
		if a == b {
			return fmt.Errorf("topology: wan latency from %s to itself (use cross_zone)", w.From)
		}
		if err := latencyError(w.Latency); err != nil {
			return fmt.Errorf("topology: wan latency %s-%s: %v", w.From, w.To, err)
		}
		have[[2]int{min(a, b), max(a, b)}] = true
	}
	for a := range t.Regions {
		for b := a + 1; b < len(t.Regions); b++ {
			if !have[[2]int{a, b}] {
				return fmt.Errorf("topology: no wan latency between %s and %s", t.Regions[a].Name, t.Regions[b].Name)
			}
		}
	}
	for _, n := range t.ClientRegions {
		if t.region(n) < 0 {
			return fmt.Errorf("topology: client_regions names unknown region %q", n)
		}
	}
	return nil
}

// latencyError is Latency.validate's first complaint, if any.
func latencyError(l Latency) error {
	var err error
	l.validate(func(ok bool, format string, args ...any) {
		if !ok && err == nil {
			err = fmt.Errorf(format, args...)
		}
	})
	return err
}

// placement is where each endpoint of a run is: its region and zone.
type placement struct {
	region, zone []int // by endpoint: replicas 0..R-1, then clients
}

// place puts replicas and clients into regions and zones.
func (t *Topology) place(clients int) placement {
	var p placement
	for ri, r := range t.Regions {
		for z := range r.RF {
			p.region, p.zone = append(p.region, ri), append(p.zone, z)
		}
	}
	regs := make([]int, 0, len(t.Regions))
	for _, n := range t.ClientRegions {
		regs = append(regs, t.region(n))
	}
	if len(regs) == 0 {
		for i := range t.Regions {
			regs = append(regs, i)
		}
	}
	for c := range clients {
		ri := regs[c%len(regs)]
		p.region = append(p.region, ri)
		p.zone = append(p.zone, (c/len(regs))%len(t.Regions[ri].Zones))
	}
	return p
}

// links returns the latency classes of t (same zone, cross zone, then the
// WAN pairs as listed) and, for every ordered pair of endpoints, the index
// of its class.
func (t *Topology) links(p placement) ([]Latency, []uint16) {
	lats := []Latency{t.SameZone, t.CrossZone}
	wan := map[[2]int]int{}
	for _, w := range t.WAN {
		a, b := t.region(w.From), t.region(w.To)
		wan[[2]int{a, b}], wan[[2]int{b, a}] = len(lats), len(lats)
		lats = append(lats, w.Latency)
	}
	E := len(p.region)
	idx := make([]uint16, E*E)
	for a := range E {
		for b := range E {
			switch {
			case p.region[a] != p.region[b]:
				idx[a*E+b] = uint16(wan[[2]int{p.region[a], p.region[b]}])
			case p.zone[a] != p.zone[b]:
				idx[a*E+b] = 1
			}
		}
	}
	return lats, idx
}

// quorumRoundTripNs returns, for each replica, the typical round trip to
// the nearest majority of replicas (itself included): how long its rounds
// take when nothing is wrong.
func (t *Topology) quorumRoundTripNs(p placement, replicas int) []int64 {
	lats, idx := t.links(p)
	E := len(p.region)
	out := make([]int64, replicas)
	rts := make([]int64, replicas)
	for a := range replicas {
		for b := range replicas {
			rts[b] = 0
			if a != b {
				rts[b] = 2 * lats[idx[a*E+b]].typicalNs()
			}
		}
		slices.Sort(rts)
		out[a] = rts[replicas/2]
	}
	return out
}

// writeJSON writes t as indented JSON (a topology file).
func (t *Topology) writeJSON(w io.Writer) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
