package rtt

import (
	"maps"
	"slices"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/stateenc"
)

// Canonical state encodings, for the protocols' protocol.StateEncoder
// (casim explore).

// EncodeState writes r.
func (r *Round) EncodeState(e *stateenc.W) {
	e.Int(int64(r.Attempt))
	e.Word(r.TimerSeq)
	e.Int(r.startNs)
	e.Bool(r.timed)
	e.Int(r.timeoutNs)
	e.Bool(r.extended)
}

// EncodeState writes e.
func (e *Estimator) EncodeState(w *stateenc.W) {
	w.Int(e.srttNs)
	w.Int(e.rttvarNs)
	w.Int(e.hintNs)
	w.Int(int64(e.timeouts))
}

// EncodeState writes l: the running operation of each busy key and the
// queue of each key waited on, keys in order.
func (l *Lanes) EncodeState(e *stateenc.W) {
	ks := stateenc.SortedKeys(e, l.busy)
	e.Word(uint64(len(ks)))
	for _, k := range ks {
		e.String(k)
		e.Word(l.busy[k])
	}
	ks = stateenc.SortedKeys(e, l.waiting)
	e.Word(uint64(len(ks)))
	for _, k := range ks {
		e.String(k)
		q := l.waiting[k]
		e.Word(uint64(len(q)))
		for _, id := range q {
			e.Word(id)
		}
	}
}

// EncodeState writes d: per key in order, the grant, the operations
// waiting and the replicas refused but self (Granted ignores its own
// coordinator's refusals: never read).
func (d *Deference) EncodeState(e *stateenc.W, self protocol.NodeID) {
	ks := stateenc.SortedKeys(e, d.granted)
	e.Word(uint64(len(ks)))
	for _, k := range ks {
		g := d.granted[k]
		e.String(k)
		e.Ballot(g.ballot)
		e.Int(g.atNs)
	}
	d.EncodeWaits(e)
	ks = stateenc.SortedKeys(e, d.refused)
	n := 0
	for _, k := range ks {
		if d.refused[k]&^bit(self) != 0 {
			n++
		}
	}
	e.Word(uint64(n))
	for _, k := range ks {
		if r := d.refused[k] &^ bit(self); r != 0 {
			e.String(k)
			e.Word(r)
		}
	}
}

// EncodeWaits writes the operations waiting, per key in order, and the
// acceptor's holds: all that matters of d once no operation will defer
// again (Rival is not asked), since grants and refusals only serve Rival.
func (d *Deference) EncodeWaits(e *stateenc.W) {
	e.Word(0x3a17) // not an EncodeState
	ks := stateenc.SortedKeys(e, d.waiting)
	e.Word(uint64(len(ks)))
	for _, k := range ks {
		e.String(k)
		ws := d.waiting[k]
		e.Word(uint64(len(ws)))
		for _, w := range ws {
			e.Word(w.id)
			e.Ballot(w.ballot)
		}
	}
	// Holds are the acceptor's (hold.go): they decide how it answers
	// prepares whatever its coordinator does, so they are always written.
	ks = stateenc.SortedKeys(e, d.held)
	e.Word(uint64(len(ks)))
	for _, k := range ks {
		h := d.held[k]
		e.String(k)
		e.Ballot(h.ballot)
		e.Ballot(h.ticket)
		e.Int(h.untilNs)
	}
}

// Clone returns a copy of d that shares nothing with it.
func (d *Deference) Clone() Deference {
	c := Deference{granted: maps.Clone(d.granted), refused: maps.Clone(d.refused), held: maps.Clone(d.held)}
	if d.waiting != nil {
		c.waiting = make(map[string][]waiter, len(d.waiting))
		for k, ws := range d.waiting {
			c.waiting[k] = slices.Clone(ws)
		}
	}
	return c
}
