package rtt

import "github.com/casimlab/casim/protocol"

// Round is one coordinator operation's timing: how many attempts it has
// made, which of its timers is current, and when its current phase began.
// A coordinator's op embeds it.
type Round struct {
	Attempt int
	// TimerSeq names the current timer: a timer that fires with another
	// Seq is stale and ignored.
	TimerSeq uint64
	startNs  int64
	// timed: the current phase began because the previous one got its
	// answers (not by a timeout or backoff), so its duration is a round
	// to learn from.
	timed bool
	// timeoutNs is the current phase's timeout.
	timeoutNs int64
	// extended: the current phase's timer fired once and was set again
	// (Extend).
	extended bool
}

// Enter starts a phase of the operation named by (key, id): the previous
// phase's duration goes into e if it completed, and a timer is set for
// the phase's timeout, or just past deadlineNs if that comes first.
func (r *Round) Enter(env *protocol.Env, e *Estimator, key string, id uint64, deadlineNs int64) {
	// A round that outlasted its own timeout was not the network's: the
	// timeout would have fired first unless this node was stopped (a
	// pause holds its timers and its messages alike, and hands them over
	// in order). Learning it made a 100ms pause the smoothed round, and
	// the backoff cap 64 rounds: seconds without a new attempt after the
	// faults healed (caspaxos seed 209 of the default sweep).
	if d := env.NowNs - r.startNs; r.timed && d <= r.timeoutNs {
		e.Observe(d)
	}
	r.startNs, r.timed, r.extended = env.NowNs, true, false
	r.timeoutNs = e.TimeoutNs()
	r.TimerSeq++
	env.SetTimer(untilDeadline(env, r.timeoutNs, deadlineNs), protocol.Timer{Key: key, ID: id, Seq: r.TimerSeq})
}

// untilDeadline caps a timer at just past deadlineNs. An operation past
// its deadline starts no new round, so a timer beyond it only keeps the
// operation, and the ones queued behind it on the key (Lanes), waiting.
// Finding (issue 11): with timeouts doubling under 40% message loss, a
// paxos coordinator's write waited out a 200ms round timeout far past
// its 60ms deadline while a read queued behind it expired unanswered.
func untilDeadline(env *protocol.Env, afterNs, deadlineNs int64) int64 {
	return max(1, min(afterNs, deadlineNs-env.NowNs+1))
}

// Refused records that the current phase's answers came, but as a quorum
// of refusals: the round trip was the network's all the same, and a
// coordinator that only ever learns from rounds that succeed keeps what
// it learnt in a slow period. After a slow node healed, its estimate
// stayed at the slow rounds, its backoff cap at 64 of them, and every
// attempt of a write there lost to fresher coordinators for 900ms
// (caspaxos seed 12 of the default sweep). Call it before Backoff.
func (r *Round) Refused(env *protocol.Env, e *Estimator) {
	if d := env.NowNs - r.startNs; r.timed && d <= r.timeoutNs {
		e.Observe(d)
	}
	r.timed = false
}

// Backoff counts a failed attempt and sets a timer for a random time up to
// e's backoff cap; the operation begins again when it fires.
func (r *Round) Backoff(env *protocol.Env, e *Estimator, key string, id uint64, baseNs, maxNs, deadlineNs int64) {
	r.wait(env, key, id, 1+env.Rand.Int64N(e.BackoffCapNs(r.Attempt+1, baseNs, maxNs)), deadlineNs)
}

// Yield is the backoff after losing to a higher ballot: floorRounds of e's
// rounds, so that the winner, which holds its promises and needs only its
// remaining rounds, is not preempted by our next prepare, then a random
// time up to jitterRounds rounds (full jitter), so that the losers do not
// return together.
func (r *Round) Yield(env *protocol.Env, e *Estimator, key string, id uint64, floorRounds, jitterRounds, deadlineNs int64) {
	rt := e.roundNs()
	r.wait(env, key, id, floorRounds*rt+1+env.Rand.Int64N(max(1, jitterRounds*rt)), deadlineNs)
}

// Defer sets the timer that begins the operation again after afterNs,
// counting no failed attempt: the operation has not run a round, it waits
// for a rival's (see Deference), which may end first.
func (r *Round) Defer(env *protocol.Env, key string, id uint64, afterNs, deadlineNs int64) {
	r.timed = false
	r.TimerSeq++
	env.SetTimer(untilDeadline(env, afterNs, deadlineNs), protocol.Timer{Key: key, ID: id, Seq: r.TimerSeq})
}

// Extend gives the current phase, whose timer fired while its answers
// were still coming in (some, and no refusal), another timeout (e's,
// which TimedOut has doubled) instead of abandoning it; false if it had
// one already. Finding (issue 11): under geo4 a coordinator learns its
// rounds from the nearest quorum, and a round whose last needed answer
// came from farther (a us-east-2 coordinator's seventh accept from
// us-west-2) timed out a few milliseconds early; the round was abandoned
// and the operation backed off for up to sixteen rounds (paxos seed 70 of
// the mixture's geo4 sweep with a 2s deadline: a read unanswered, its
// rounds timing out at 50ms, each followed by a 0.4-0.7s backoff).
func (r *Round) Extend(env *protocol.Env, e *Estimator, key string, id uint64, deadlineNs int64) bool {
	if r.extended {
		return false
	}
	r.extended = true
	t := e.TimeoutNs()
	r.timeoutNs = env.NowNs - r.startNs + t // the phase's whole timeout, for Enter's learning
	r.TimerSeq++
	env.SetTimer(untilDeadline(env, t, deadlineNs), protocol.Timer{Key: key, ID: id, Seq: r.TimerSeq})
	return true
}

// Again counts a failed attempt that begins again at once.
func (r *Round) Again() {
	r.Attempt++
	r.timed = false
}

// wait counts a failed attempt and sets the timer that begins the next.
func (r *Round) wait(env *protocol.Env, key string, id uint64, afterNs, deadlineNs int64) {
	r.Attempt++
	r.timed = false
	r.TimerSeq++
	env.SetTimer(untilDeadline(env, afterNs, deadlineNs), protocol.Timer{Key: key, ID: id, Seq: r.TimerSeq})
}
