package lww

import "github.com/casimlab/casim/protocol"

// Consistency levels that count answers by region, as Cassandra's do in a
// multi-datacenter cluster. A write is still sent to every replica; the
// level says whose acknowledgements the coordinator waits for.
//
//   - local-quorum: a majority of the coordinator's region (Netflix KV's
//     usual setting for reads and writes). Linearizable only if every
//     client of a key is in one region: a LOCAL_QUORUM read in another
//     region need not meet a LOCAL_QUORUM write (the lww/local-quorum
//     variant, caught under --topology geo4).
//   - each-quorum: a majority in every region.
const (
	localQuorum = "local-quorum"
	eachQuorum  = "each-quorum"
)

// scope counts one phase's answers for a regional level.
type scope struct {
	level string
	// per region: answers so far, and the majority needed
	got, need []int
	done      bool
}

// newScope starts counting for level at cfg's coordinator; nil for the
// levels a plain count serves.
func newScope(cfg protocol.Config, level string) *scope {
	if level != localQuorum && level != eachQuorum {
		return nil
	}
	regions := 1
	for _, r := range cfg.Regions {
		regions = max(regions, r+1)
	}
	s := &scope{level: level, got: make([]int, regions), need: make([]int, regions)}
	size := make([]int, regions)
	for i := range cfg.N {
		size[regionOf(cfg, protocol.NodeID(i))]++
	}
	for r := range size {
		s.need[r] = size[r]/2 + 1
		if level == localQuorum && r != regionOf(cfg, cfg.Self) {
			s.need[r] = 0
		}
	}
	return s
}

func regionOf(cfg protocol.Config, n protocol.NodeID) int {
	if cfg.Regions == nil {
		return 0
	}
	return cfg.Regions[n]
}

// answer counts from's answer and reports whether the level is now met:
// true once.
func (s *scope) answer(cfg protocol.Config, from protocol.NodeID) bool {
	s.got[regionOf(cfg, from)]++
	if s.done {
		return false
	}
	for r := range s.need {
		if s.got[r] < s.need[r] {
			return false
		}
	}
	s.done = true
	return true
}

// total is how many answers the level needs, for read repair's count.
func (s *scope) total() int {
	t := 0
	for _, n := range s.need {
		t += n
	}
	return t
}
