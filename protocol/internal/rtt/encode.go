package rtt

import "github.com/casimlab/casim/protocol/internal/stateenc"

// Canonical state encodings, for the protocols' protocol.StateEncoder
// (casim explore).

// EncodeState writes r.
func (r *Round) EncodeState(e *stateenc.W) {
	e.Int(int64(r.Attempt))
	e.Word(r.TimerSeq)
	e.Int(r.startNs)
	e.Bool(r.timed)
	e.Int(r.timeoutNs)
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
