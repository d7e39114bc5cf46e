// Package rtt estimates how long a coordinator's round takes, the way
// TCP's retransmission timer does (RFC 6298): a smoothed mean and a
// smoothed deviation of the observed round durations, a first estimate
// before any round has been measured, and a timeout that doubles after
// every timeout until a round completes again.
//
// Fixed round timeouts are either too short for a slow network (every
// round times out, the coordinator starts over with a higher ballot and
// preempts the others: a livelock casim's swarm runs found) or too long
// for a fast one. The estimate also scales randomized backoff, which must
// outlast a competing round to let it finish.
//
// Finding (issue 11): learning only from rounds that complete is not
// enough. With a 10ms first timeout and a 20ms one-way latency no round
// ever completed, so nothing was learnt: a coordinator re-prepared every
// 10ms, each prepare preempting the last, and every paxos and caspaxos
// seed was stuck with no fault at all. The estimator now starts from what
// the deployment says a round trip costs (protocol.Config.RoundTripNs)
// and backs its timeout off after a timeout, as RFC 6298 section 5.5
// does, so it converges on any latency even when the hint is wrong.
package rtt

// Estimator holds the smoothed round duration. The zero value starts from
// the Min timeout; New starts from a deployment's round trip.
type Estimator struct {
	srttNs, rttvarNs int64
	// hintNs is the round trip the deployment announces, used until a
	// round has been measured.
	hintNs int64
	// timeouts counts the round timeouts since the last round that
	// completed: each doubles the timeout.
	timeouts int
}

// Bounds of the timeout, in local nanoseconds. The upper bound grows with
// the round trip (maxRounds of them) on a slow network.
const (
	MinTimeoutNs = 10_000_000
	MaxTimeoutNs = 200_000_000
	maxRounds    = 64
	// maxDoublings bounds the timeout's backoff: 2^6 times the estimate.
	maxDoublings = 6
)

// New returns an estimator that expects rounds of about roundTripNs (zero:
// no expectation) until it has measured one.
func New(roundTripNs int64) Estimator { return Estimator{hintNs: max(roundTripNs, 0)} }

// Observe records one round that took ns. A completed round ends the
// timeout backoff.
func (e *Estimator) Observe(ns int64) {
	if ns <= 0 {
		return
	}
	e.timeouts = 0
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

// TimedOut records a round that got no quorum in time: the next timeouts
// are twice as long, until a round completes.
func (e *Estimator) TimedOut() { e.timeouts = min(e.timeouts+1, maxDoublings) }

// roundNs is the expected round: measured, or else the hint.
func (e *Estimator) roundNs() int64 {
	if e.srttNs > 0 {
		return e.srttNs
	}
	return e.hintNs
}

// RoundNs is the expected round: measured, or else the hint.
func (e *Estimator) RoundNs() int64 { return e.roundNs() }

// TimeoutNs is how long to wait for a round's quorum before giving up on
// it: the smoothed duration plus four deviations (before any measurement:
// three hinted round trips), doubled for each timeout since the last
// completed round, within the bounds.
func (e *Estimator) TimeoutNs() int64 {
	base := e.srttNs + 4*e.rttvarNs
	if e.srttNs == 0 {
		base = 3 * e.hintNs
	}
	hi := max(MaxTimeoutNs, maxRounds*e.roundNs())
	return min(max(base, MinTimeoutNs)<<e.timeouts, hi)
}

// BackoffCapNs is the cap of a randomized backoff after attempt failed
// attempts: doubling from four rounds (a whole uncontended operation, at
// least baseNs), up to sixteen rounds (at least maxNs). Duelling
// proposers stop duelling only when one waits out the other's whole
// operation. (A coordinator runs one operation per key at a time, see
// Lanes, so the duellists are at most the coordinators; a longer cap
// only left keys idle: caspaxos with sixteen clients on one key waited
// out 40ms backoffs while operations timed out in the queue.)
func (e *Estimator) BackoffCapNs(attempt int, baseNs, maxNs int64) int64 {
	rt := e.roundNs()
	base := max(baseNs, 4*rt)
	return min(base<<min(attempt, 10), max(maxNs, backoffRounds*rt))
}

// backoffRounds bounds a backoff, in rounds.
const backoffRounds = 16
