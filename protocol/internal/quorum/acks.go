package quorum

import (
	"slices"

	"github.com/casimlab/casim/protocol"
)

// Acks counts acknowledgements of a sequence number rather than of one
// round: each replica acknowledges the highest sequence number it has
// (a log position, a batch number), and an entry is committed once enough
// replicas acknowledged it or a later one. It is what a primary or leader
// that pipelines or batches needs; Tally is for one round of one request.
// Acknowledgements only move forward, so duplicated and reordered copies
// do no harm.
type Acks struct {
	acked   []uint64 // per replica
	scratch []uint64
}

// Reset starts over for n replicas, none of which acknowledged anything.
func (a *Acks) Reset(n int) {
	a.acked = make([]uint64, n)
}

// Ack records that replica from has everything up to seq, and reports
// whether that is news.
func (a *Acks) Ack(from protocol.NodeID, seq uint64) bool {
	if seq <= a.acked[from] {
		return false
	}
	a.acked[from] = seq
	return true
}

// Of returns how far replica from has acknowledged.
func (a *Acks) Of(from protocol.NodeID) uint64 { return a.acked[from] }

// Committed returns the highest sequence number that at least need
// replicas have acknowledged (0: none).
func (a *Acks) Committed(need int) uint64 {
	if need <= 0 {
		return ^uint64(0)
	}
	if need > len(a.acked) {
		return 0
	}
	a.scratch = append(a.scratch[:0], a.acked...)
	slices.Sort(a.scratch)
	return a.scratch[len(a.scratch)-need]
}
