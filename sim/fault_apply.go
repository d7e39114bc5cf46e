package sim

import (
	"fmt"
)

func (s *sim) startFault(i int) {
	f := s.sched[i]
	s.traceNote(traceFault, -1, fmt.Sprintf("start %s %s", f.Kind, f.Describe()))
	switch f.Kind {
	case Crash:
		for _, n := range f.Nodes {
			if f.AfterSync && s.replicas[n].pendingSyncs() > 0 && s.replicas[n].up() {
				s.replicas[n].crashAfterSync = i
				continue
			}
			s.crash(n, i)
		}
	case Pause:
		for _, n := range f.Nodes {
			s.replicas[n].pauses++
		}
	case Slow:
		for _, n := range f.Nodes {
			s.net.slow[n] = max(s.net.slow[n], f.Factor)
		}
	case ClientCrash:
		s.crashClient(f.Clients[0])
	case ClockStep:
		for _, n := range f.Nodes {
			s.clocks[n].stepNs += f.StepNs
		}
		for _, c := range f.Clients {
			s.clocks[s.cfg.Replicas+c].stepNs += f.StepNs
		}
	case WANSlow:
		s.wanSlow()
	case ZoneOutage, RegionOutage, RegionPartition:
		s.topologyCut(f, 1)
	default:
		s.cut(f, 1)
	}
}

func (s *sim) endFault(i int) {
	f := s.sched[i]
	s.traceNote(traceFault, -1, fmt.Sprintf("end %s %s", f.Kind, f.Describe()))
	switch f.Kind {
	case Crash:
		for _, n := range f.Nodes {
			r := &s.replicas[n]
			if r.crashAfterSync == i {
				r.crashAfterSync = -1 // the node never synced: no crash happened
			}
			if s.crashed[i] {
				s.restart(n)
			}
		}
	case Pause:
		for _, n := range f.Nodes {
			s.resume(n)
		}
	case Slow:
		for _, n := range f.Nodes {
			s.net.slow[n] = 1
			for _, g := range s.active() {
				if g.Kind == Slow && g.EndNs > s.nowNs {
					for _, m := range g.Nodes {
						if m == n {
							s.net.slow[n] = max(s.net.slow[n], g.Factor)
						}
					}
				}
			}
		}
	case ClientCrash:
		s.restartClient(f.Clients[0])
	case ClockStep:
	case WANSlow:
		s.wanSlow()
	case ZoneOutage, RegionOutage, RegionPartition:
		s.topologyCut(f, -1)
	default:
		s.cut(f, -1)
	}
}

// active returns the faults started and not yet ended.
func (s *sim) active() []Fault {
	var fs []Fault
	for _, f := range s.sched {
		if f.StartNs <= s.nowNs && f.EndNs > s.nowNs {
			fs = append(fs, f)
		}
	}
	return fs
}

// cut adds delta to the links that partition f cuts.
func (s *sim) cut(f Fault, delta int32) {
	R := s.cfg.Replicas
	switch f.Kind {
	case Isolate:
		for _, n := range f.Nodes {
			for e := range R + s.cfg.Clients {
				if e != n {
					s.net.cutBoth(n, e, delta)
				}
			}
		}
	case Split:
		inside := make([]bool, R)
		for _, n := range f.Nodes {
			inside[n] = true
		}
		for _, a := range f.Nodes {
			for b := range R {
				if !inside[b] {
					s.net.cutBoth(a, b, delta)
				}
			}
		}
	case Asymmetric:
		for _, a := range f.Nodes {
			for _, b := range f.Peers {
				s.net.cutOneWay(a, b, delta)
			}
		}
	case Bridge:
		for _, a := range f.Nodes {
			for _, b := range f.Peers {
				s.net.cutBoth(a, b, delta)
			}
		}
	case ClientCut:
		for _, c := range f.Clients {
			for _, b := range f.Peers {
				s.net.cutBoth(R+c, b, delta)
			}
		}
	}
}

// Describe renders a fault's targets for traces and summaries.
func (f Fault) Describe() string {
	s := ""
	if len(f.Nodes) > 0 {
		s += fmt.Sprintf("nodes %v", f.Nodes)
	}
	if len(f.Peers) > 0 {
		s += fmt.Sprintf(" peers %v", f.Peers)
	}
	if len(f.Clients) > 0 {
		s += fmt.Sprintf(" clients %v", f.Clients)
	}
	if len(f.Regions) > 0 {
		s += fmt.Sprintf(" regions %v", f.Regions)
	}
	if len(f.Zones) > 0 {
		s += fmt.Sprintf(" zone %v", f.Zones)
	}
	if len(f.PeerRegions) > 0 {
		s += fmt.Sprintf(" peer regions %v", f.PeerRegions)
	}
	switch f.Kind {
	case RegionPartition:
		if f.OneWay {
			s += " one-way"
		}
	case WANSlow:
		s += fmt.Sprintf(" ×%g", f.Factor)
	case Slow:
		s += fmt.Sprintf(" ×%g", f.Factor)
	case ClockStep:
		s += fmt.Sprintf(" by %+dns", f.StepNs)
	case Crash:
		if f.AfterSync {
			s += " after sync"
		}
	}
	return s
}
