package caspaxos

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/quorum"
	"github.com/casimlab/casim/protocol/internal/register"
	"github.com/casimlab/casim/protocol/internal/rtt"
)

// Timing of a proposer, in local nanoseconds.
const (
	backoffBaseNs = 1_000_000
	backoffMaxNs  = 32_000_000
	// holdRounds: an acceptor holds a key for a proposer preparing
	// again (rtt.Deference.Hold) until its accept arrives, about two of
	// its rounds after the prepare, with one to spare.
	holdRounds = 3
)

type phase uint8

const (
	phPrepare phase = iota
	phAccept
	phBackoff
	phQueued // waiting for the proposer's other operation on the key
	phDefer  // waiting for a losing rival's round (see begin)
)

type op struct {
	id        uint64
	client    protocol.ClientID
	req       protocol.Request
	phase     phase
	ballot    Ballot
	next      Ballot // the piggybacked next ballot (zero: none)
	rtt.Round        // attempts, the current timer, the phase's start
	// deferredTo is the rival round this op last deferred to (see begin).
	deferredTo Ballot
	// ticket is the ballot of the operation's first prepare: its age,
	// which orders it against rivals (rtt.Deference.Hold).
	ticket Ballot
	// heldSeen: a refusal of the current prepare came from a hold of an
	// older operation.
	heldSeen bool
	tally    quorum.Tally
	nextOKs  int
	// highest is the highest ballot seen in refusals; latest the
	// highest-ballot accepted proposal among the promises.
	highest Ballot
	latest  Proposal
	value   Value // what the accept phase proposes
	reply   protocol.Reply
	// riders are the operations queued behind this one on the key that
	// its proposal also serves (see ride).
	riders []*op
}

func (n *node) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	o := &op{id: env.Rand.Uint64(), client: from, req: req}
	n.ops[o.id] = o
	if !n.lanes.Enter(req.Op.Key, o.id) {
		o.phase = phQueued
		return
	}
	n.begin(env, o)
}

// begin starts a round: with the key's cached promise if there is one,
// else with a prepare at a fresh ballot: above this proposer's last, the
// highest a refusal showed it, and the promise its own acceptor holds.
//
// Finding (issue 11): without the last, a proposer that lost prepared
// from the highest ballot it had seen, at its last refusal; a busier
// proposer, one operation per round on cached promises, had moved the
// key's ballots on meanwhile, one per operation, so the prepare was
// refused again, by its own acceptor first, backoff after backoff. With
// sixteen clients on one key at 100ms one-way (seed 25) proposer n3
// prepared 17 times in 33s and won one prepare, whose accept was then
// refused; a cas waited out both of its 39s attempts and was resolved as
// not applied. Under geo4 with a 3s deadline and no fault, 11 seeds of
// 100 were stuck and 12 unavailable (seed 4: the us-east-1 proposer
// losing so to the us-east-2 ones). Its own acceptor's promise is the
// newest ballot a proposer knows without a message; preparing above it,
// that geo4 sweep has 2 stuck and 2 unavailable, and the default sweep's
// p50 is about 0.67x (reads 6.29ms to 4.19ms).
func (n *node) begin(env *protocol.Env, o *op) {
	if env.NowNs > o.req.DeadlineNs {
		n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
		return
	}
	key := o.req.Op.Key
	if c, ok := n.cache[key]; ok {
		// One operation per promise. (Not for safety: two operations
		// sharing a cached ballot cannot both win a quorum, since the
		// first accept an acceptor takes raises its promise to that
		// operation's next ballot. For liveness: they would duel.)
		delete(n.cache, key)
		o.ballot = c.ballot
		n.decide(env, o, c.value)
		return
	}
	s := n.keys[key]
	opNs := 2 * 3 * n.rounds.RoundNs() // prepare, accept and one to spare; doubled
	if holder, waitNs, ok := n.deference.Holder(env, key, s.Promised, o.ticket); ok {
		// An older operation holds the key at this node's acceptor: a
		// prepare would be refused there and at its other acceptors.
		o.phase, o.deferredTo = phDefer, holder
		n.deference.Wait(key, o.id, holder)
		o.Defer(env, key, o.id, waitNs, o.req.DeadlineNs)
		return
	}
	if o.Attempt == 0 {
		if rival, waitNs, ok := n.deference.Rival(env, key, s.Promised, s.Accepted.Ballot, o.deferredTo, opNs); ok {
			o.phase, o.deferredTo = phDefer, rival
			n.deference.Wait(key, o.id, rival)
			o.Defer(env, key, o.id, waitNs, o.req.DeadlineNs)
			return
		}
	}
	o.ballot = ballot.New(max(n.lastBallot.TimeNs, o.highest.TimeNs, s.Promised.TimeNs)+1, env)
	n.lastBallot = o.ballot
	// An operation preparing again asks the acceptors to hold the key
	// for it until its accept (rtt.Deference.Hold).
	var roundNs int64
	if o.ticket.IsZero() {
		o.ticket = o.ballot
	} else {
		roundNs = n.rounds.RoundNs()
	}
	o.latest, o.heldSeen = Proposal{}, false
	n.enter(env, o, phPrepare)
	env.Broadcast(prepare{Key: key, Op: o.id, Ballot: o.ballot, Ticket: o.ticket, RoundNs: roundNs})
}

func (n *node) enter(env *protocol.Env, o *op, p phase) {
	o.phase = p
	o.tally.Reset(n.quorum)
	o.nextOKs = 0
	o.Enter(env, &n.rounds, o.req.Op.Key, o.id, o.req.DeadlineNs)
}

// retry backs off for a random time, growing with attempts, then begins
// again.
func (n *node) retry(env *protocol.Env, o *op) {
	delete(n.cache, o.req.Op.Key)
	o.phase = phBackoff
	o.Backoff(env, &n.rounds, o.req.Op.Key, o.id, backoffBaseNs, backoffMaxNs, o.req.DeadlineNs)
}

func (n *node) OnTimer(env *protocol.Env, t protocol.Timer) {
	o, ok := n.ops[t.ID]
	if !ok || o.TimerSeq != t.Seq {
		return
	}
	if o.phase == phBackoff || o.phase == phDefer {
		n.begin(env, o)
		return
	}
	if o.phase == phPrepare && o.tally.Nacks > 0 && !o.heldSeen && env.NowNs <= o.req.DeadlineNs {
		// Refused by ballots only, the rest of the refusals still on
		// their way: as refused, prepare again at once.
		o.Again()
		n.begin(env, o)
		return
	}
	if env.NowNs <= o.req.DeadlineNs {
		n.rounds.TimedOut() // not the deadline's cap (rtt.Round.Enter)
		if o.tally.OKs > 0 && o.tally.Nacks == 0 && o.Extend(env, &n.rounds, o.req.Op.Key, o.id, o.req.DeadlineNs) {
			return // answers are coming in: wait for the rest (rtt.Round.Extend)
		}
	}
	n.retry(env, o) // the round timed out
}

func (n *node) finish(env *protocol.Env, o *op, r protocol.Reply) {
	r.ID, r.Token = o.req.ID, o.req.Token
	env.Reply(o.client, r)
	delete(n.ops, o.id)
	if next, ok := n.lanes.Leave(o.req.Op.Key, o.id); ok {
		n.begin(env, n.ops[next])
	}
}

// ride applies the change functions of the operations queued behind o on
// its key, in order, after o's own, and returns the value that serves
// them all: the proposal, once accepted, takes effect for o and then each
// rider in turn, and each one's outcome enters the token window as if it
// had run alone. Riders past their deadline stay queued (answered Unknown
// when their turn comes); if the round is lost, they stay queued and ride
// again.
//
// Finding (issue 11): sixteen clients on one key left 127 of 200 seeds
// stuck: one round at a time per key, each client waiting for fifteen
// others, past its attempt timeout, then retrying at a second proposer
// that duelled with the first. A proposer's queued operations riding one
// round (group commit) lets the key's capacity grow with its queue.
func (n *node) ride(env *protocol.Env, o *op, next Value) Value {
	o.riders = o.riders[:0]
	for _, id := range n.lanes.Waiting(o.req.Op.Key) {
		q := n.ops[id]
		if q == nil || env.NowNs > q.req.DeadlineNs {
			continue
		}
		r := register.Eval(next, q.req, q.client)
		q.reply, next = r.Reply, r.Next
		o.riders = append(o.riders, q)
	}
	return next
}

func (n *node) current(id uint64, b Ballot, p phase) *op {
	if o, ok := n.ops[id]; ok && o.ballot == b && o.phase == p {
		return o
	}
	return nil
}

// refused counts a refusal; when a quorum can no longer form, retry.
//
// A prepare refused by ballots alone, by no hold of an older operation,
// prepares again at once, above the promises that refused it, and asks
// for a hold (begin): no acceptor knows an older operation, so this one
// goes first (rtt.Deference.Hold). One refused by a hold backs off, and
// the holder's accept reaching this node's acceptor ends the backoff.
func (n *node) refused(env *protocol.Env, o *op, promised Ballot, held bool) {
	o.highest = ballot.Max(o.highest, promised)
	o.heldSeen = o.heldSeen || held
	if o.tally.Nack(n.cfg.N) {
		o.Refused(env, &n.rounds)
		if o.phase == phPrepare && !o.heldSeen {
			o.Again()
			n.begin(env, o)
			return
		}
		n.retry(env, o)
		if o.heldSeen {
			o.phase = phDefer
			n.deference.Wait(o.req.Op.Key, o.id, o.highest)
		}
	}
}

func (n *node) onPromise(env *protocol.Env, from protocol.NodeID, m promise) {
	o := n.current(m.Op, m.Ballot, phPrepare)
	if o == nil || !o.tally.First(from) {
		return
	}
	if !m.OK {
		n.refused(env, o, m.Promised, m.Held)
		return
	}
	if o.latest.Ballot.Less(m.Accepted.Ballot) {
		o.latest = m.Accepted
	}
	if o.tally.OK() {
		n.decide(env, o, o.latest.Value)
	}
}

// decide applies the change function to the current value and sends the
// result for acceptance.
func (n *node) decide(env *protocol.Env, o *op, cur Value) {
	r := register.Eval(cur, o.req, o.client)
	if !r.Recorded && n.opts.forgetFailedCompare && r.Reply.Status == protocol.CompareFailed {
		r.Next = cur // the failed compare is not recorded with its token
	}
	if !r.Recorded && n.opts.noTombstone && o.req.Resolve {
		r.Next = cur // "not applied", but no tombstone for later executions
	}
	if n.opts.readWithoutAccept && o.req.Op.Kind == model.Read && !o.req.Resolve {
		n.finish(env, o, r.Reply) // answered from a value perhaps accepted by a minority only
		return
	}
	if r.Recorded && r.Reply.Status == protocol.Unknown {
		n.finish(env, o, r.Reply) // the token fell out of the window
		return
	}
	if env.NowNs > o.req.DeadlineNs {
		n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
		return
	}
	o.value, o.reply = n.ride(env, o, r.Next), r.Reply
	o.next = Ballot{}
	if n.oneTrip {
		o.next = ballot.New(o.ballot.TimeNs+1, env)
		n.lastBallot = o.next
	}
	n.enter(env, o, phAccept)
	env.Broadcast(accept{Key: o.req.Op.Key, Op: o.id, Proposal: Proposal{Ballot: o.ballot, Value: o.value}, Next: o.next})
}

func (n *node) onAccepted(env *protocol.Env, from protocol.NodeID, m accepted) {
	o := n.current(m.Op, m.Ballot, phAccept)
	if o == nil || !o.tally.First(from) {
		return
	}
	if !m.OK {
		n.refused(env, o, m.Promised, false)
		return
	}
	if m.NextOK {
		o.nextOKs++
	}
	if !o.tally.OK() {
		return
	}
	if o.nextOKs >= n.quorum {
		// Every acceptor of the quorum accepted our value and promised
		// the next ballot in one step.
		n.cache[o.req.Op.Key] = cached{ballot: o.next, value: o.value}
	}
	for _, q := range o.riders {
		n.lanes.Remove(q.req.Op.Key, q.id)
		n.finish(env, q, q.reply)
	}
	o.riders = nil
	n.finish(env, o, o.reply)
}
