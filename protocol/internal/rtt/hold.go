package rtt

import (
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
)

// A hold is an acceptor's protection of the round of an operation that
// is preparing again (it lost a round before, timed out, deferred, or
// restarts after a repair): until the holder has made its proposal, the
// acceptor refuses the prepares of operations younger than the holder,
// even at higher ballots.
//
// Refusing a prepare is always safe (it is what a lost message does);
// whom to refuse is a liveness choice. Ballots alone let the last
// prepare win, so under steady contention an operation whose rounds are
// longer than its rivals', or whose prepare reaches the acceptors a
// little after theirs, can lose every round until its deadline (issue
// 11: geo4, four clients on two keys, a 3s deadline, no fault; see the
// package docs of paxos and caspaxos). Deference only helps when the
// rival's prepare has reached the deferring coordinator's own acceptor
// first; a hold is kept by every acceptor that promised the operation,
// a quorum of them if its prepare succeeded, so no younger rival can
// cut its round off between its prepare and its proposal. Age orders
// operations: the one that has waited longest goes first, and an
// operation only grows older, so each becomes the oldest in its turn.
//
// An older operation may preempt a holder at any point of its round.
// Tried and left out: letting it do so only during the holder's first
// round (after which the holder is likely to have its quorum), so as
// not to waste a round about to propose. When the losers of a round all
// prepare again at its commit, each acceptor holds for whichever
// arrives first; a holder of a minority then refused every other, none
// had a quorum, and all waited for the holds to run out. The classic
// geo4 sweep with a 3s deadline went from 1 stuck and 4 unavailable
// seeds of 100 to 47 and 31 (two rounds of grace: 6 and 10).
//
// An operation's age is its ticket: the ballot of its first prepare.
// Every acceptor orders two operations alike by their tickets, which
// follow the key's rounds (a coordinator prepares above the promises it
// knows), where ages measured as durations would not: an age sent with
// the prepare and subtracted from its arrival time makes a distant
// operation younger by its transit (a first try under geo4 ordered the
// eu-west-1 coordinator's operation, begun 6ms before the us-west-2
// one's, after it at us-west-2's acceptors and before it elsewhere: each
// was refused as the younger at some acceptors, and neither won).
type hold struct {
	ballot ballot.Ballot
	ticket ballot.Ballot
	// untilNs ends the hold if the proposal does not come first (the
	// holder may have crashed, lost a quorum elsewhere, or found its
	// outcome recorded and proposed nothing).
	untilNs int64
}

// Hold records that this node's acceptor promised b on key to the
// operation of ticket t, whose rounds take about roundNs; roundNs > 0
// (the operation prepares again) makes it a hold for rounds rounds, or
// until its proposal (Proposed). A promise to anyone else replaces the
// hold.
func (d *Deference) Hold(env *protocol.Env, key string, b, t ballot.Ballot, roundNs, rounds int64) {
	if roundNs <= 0 {
		delete(d.held, key)
		return
	}
	d.init()
	d.held[key] = hold{ballot: b, ticket: t, untilNs: env.NowNs + rounds*roundNs}
}

// Holds reports whether a prepare on key from the operation of ticket t
// is to be refused: the acceptor's promise, promised, is a hold's that
// has not run out, and the holder is older.
func (d *Deference) Holds(env *protocol.Env, key string, promised, t ballot.Ballot) bool {
	h, ok := d.held[key]
	if !ok || h.ballot != promised || env.NowNs >= h.untilNs || t == h.ticket {
		return false // no hold, or the holder's own next prepare
	}
	return h.ticket.Less(t)
}

// Holder reports the hold at this node's acceptor that an operation
// about to prepare on key, of ticket t, would be refused by (see Holds),
// and how long it lasts at most: the operation defers to it rather than
// send prepares that the holder's acceptors refuse.
func (d *Deference) Holder(env *protocol.Env, key string, promised, t ballot.Ballot) (b ballot.Ballot, waitNs int64, ok bool) {
	if !d.Holds(env, key, promised, t) {
		return ballot.Ballot{}, 0, false
	}
	h := d.held[key]
	return h.ballot, h.untilNs - env.NowNs, true
}

// Proposed records that this node's acceptor accepted a proposal at b on
// key: a hold at b or below has served (the holder made its proposal),
// and the next rival may prepare. Kept until the commit instead, a
// holder that proposed nothing (its outcome was recorded already) kept
// every rival waiting out its hold.
func (d *Deference) Proposed(key string, b ballot.Ballot) {
	if h, ok := d.held[key]; ok && !b.Less(h.ballot) {
		delete(d.held, key)
	}
}

// Release ends a hold on key of the operation of ticket t: it finished
// without a proposal of its own (its outcome was recorded already, or
// its deadline passed), so its next prepare will not come.
func (d *Deference) Release(key string, t ballot.Ballot) {
	if h, ok := d.held[key]; ok && h.ticket == t {
		delete(d.held, key)
	}
}
