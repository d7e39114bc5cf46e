// Package rtt estimates how long a coordinator's round takes, the way
// TCP's retransmission timer does (RFC 6298): a smoothed mean and a
// smoothed deviation of the observed round durations.
//
// Fixed round timeouts are either too short for a slow network (every
// round times out, the coordinator starts over with a higher ballot and
// preempts the others: a livelock casim's swarm runs found) or too long
// for a fast one. The estimate also scales randomized backoff, which must
// outlast a competing round to let it finish.
package rtt

// Estimator holds the smoothed round duration. The zero value starts from
// the Min timeout.
type Estimator struct {
	srttNs, rttvarNs int64
}

// Bounds of the timeout, in local nanoseconds.
const (
	MinTimeoutNs = 10_000_000
	MaxTimeoutNs = 200_000_000
)

// Observe records one round that took ns.
func (e *Estimator) Observe(ns int64) {
	if ns <= 0 {
		return
	}
	if e.srttNs == 0 {
		e.srttNs, e.rttvarNs = ns, ns/2
		return
	}
	dev := ns - e.srttNs
	if dev < 0 {
		dev = -dev
	}
	e.rttvarNs += (dev - e.rttvarNs) / 4
	e.srttNs += (ns - e.srttNs) / 8
}

// TimeoutNs is how long to wait for a round's quorum before giving up on
// it: the smoothed duration plus four deviations, within the bounds.
func (e *Estimator) TimeoutNs() int64 {
	return min(max(e.srttNs+4*e.rttvarNs, MinTimeoutNs), MaxTimeoutNs)
}

// BackoffCapNs is the cap of a randomized backoff after attempt failed
// attempts: doubling from four rounds (a whole uncontended operation, at
// least baseNs), up to sixteen rounds (at least maxNs). Duelling
// proposers stop duelling only when one waits out the other's whole
// operation.
func (e *Estimator) BackoffCapNs(attempt int, baseNs, maxNs int64) int64 {
	base := max(baseNs, 4*e.srttNs)
	return min(base<<min(attempt, 10), max(maxNs, 16*e.srttNs))
}
