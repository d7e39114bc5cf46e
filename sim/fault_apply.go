package sim

import (
	"fmt"
)

func (s *sim) startFault(i int) {
	f := s.sched[i]
	switch f.Kind {
	case Crash:
		for _, n := range f.Nodes {
			r := &s.replicas[n]
			if r.downCount == 0 {
				r.node = nil // volatile state is gone
				r.epoch++
				r.env.Reset()
			}
			r.downCount++
			s.traceNote(traceCrash, int32(n), "")
		}
	default:
		s.cut(f, 1)
		s.traceNote(tracePartition, -1, fmt.Sprintf("%s %v", f.Kind, f.Nodes))
	}
}

func (s *sim) endFault(i int) {
	f := s.sched[i]
	switch f.Kind {
	case Crash:
		for _, n := range f.Nodes {
			r := &s.replicas[n]
			r.downCount--
			if r.downCount == 0 {
				r.node = s.proto.New(r.env.Config, r.store)
				s.traceNote(traceRestart, int32(n), "")
			}
		}
	default:
		s.cut(f, -1)
		s.traceNote(traceHeal, -1, fmt.Sprintf("%s %v", f.Kind, f.Nodes))
	}
}

// cut adds delta to the links that fault f cuts.
func (s *sim) cut(f Fault, delta int32) {
	inside := make([]bool, s.cfg.Replicas)
	for _, n := range f.Nodes {
		inside[n] = true
	}
	endpoints := s.cfg.Replicas
	if f.Kind == Isolate {
		endpoints += s.cfg.Clients // an isolated replica loses its clients too
	}
	for a := range s.cfg.Replicas {
		if !inside[a] {
			continue
		}
		for b := range endpoints {
			if b < s.cfg.Replicas && inside[b] {
				continue
			}
			s.net.setCut(int32(a), int32(b), delta)
		}
	}
}
