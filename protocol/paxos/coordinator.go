package paxos

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/quorum"
	"github.com/casimlab/casim/protocol/internal/register"
	"github.com/casimlab/casim/protocol/internal/rtt"
)

// The coordinator side: one op per client request, moving through phases.

type phase uint8

const (
	phPrepare       phase = iota
	phRepairPropose       // re-proposing an in-progress proposal
	phRepairCommit        // committing it
	phFixCommit           // sending the newest commit to promisers that missed it
	phRead
	phPropose
	phCommit
	phBackoff
	phMixedWrite // the mixed-writes variant's plain write (mixed.go)
	phQueued     // waiting for the coordinator's other operation on the key
	phDefer      // waiting for a rival's round to end (see begin)
)

// Timing of a coordinator, in local nanoseconds.
const (
	backoffBaseNs = 1_000_000
	backoffMaxNs  = 32_000_000
	// yieldRounds and yieldJitterRounds: a coordinator refused by a
	// higher ballot waits yieldRounds rounds, the rounds the winner still
	// needs after its prepare (read, propose, commit) and one to spare,
	// then a random time up to yieldJitterRounds rounds.
	yieldRounds       = 4
	yieldJitterRounds = 4
)

type op struct {
	id     uint64
	client protocol.ClientID
	req    protocol.Request
	// ticket is the ballot the operation would have prepared at when it
	// reached this coordinator: its age, which orders it against rivals
	// (rtt.Deference.Hold). Finding (issue 11): taken at its first
	// prepare instead, an operation that had waited 1.3s in its lane
	// (behind a hedged copy of its client's previous operation, which
	// kept losing) came out younger than the rivals that had arrived
	// meanwhile, and waited for them too (paxos seed 71 of the classic
	// geo4 sweep with a 3s deadline: a read unanswered). It is dated
	// back by how long the client had waited (Request.WaitedNs): a
	// retry at another coordinator is as old as its operation. Finding:
	// with sixteen clients on one key under geo4 (classic profile, the
	// topology's 17.6s deadline), a read from us-west-2 went to four
	// coordinators in turn, each time the youngest operation on the key,
	// and was answered Unknown at each of its 2.64s attempts (seed 55; 2
	// stuck and 2 unavailable seeds of 100, none with the age carried).
	ticket Ballot
	// began: begin has run for the operation before.
	began bool
	// askedHold: a prepare of the operation asked the acceptors to hold
	// the key for it (RoundNs > 0), so a hold may carry its ticket. Read
	// only by Eager, for casim explore.
	askedHold bool

	phase     phase
	ballot    Ballot
	rtt.Round // attempts, the current timer, the phase's start
	// deferredTo is the rival round this op last deferred to (see begin).
	deferredTo Ballot

	// Responses to the current phase.
	tally quorum.Tally

	// Aggregates of the current phase.
	highestPromise Ballot
	// heldSeen: a refusal of the current prepare came from a hold of an
	// older operation (rtt.Deference.Hold).
	heldSeen       bool
	inProgress     Proposal // newest accepted among promises
	newest         Proposal // newest committed among promises or reads
	promisedBefore Ballot   // newest promise the promisers had made before ours
	commitOf       []Ballot // per promiser: its committed ballot
	promisers      uint64   // bitmask of the replicas that promised

	proposal Proposal       // what this op proposes or commits
	reply    protocol.Reply // sent after the commit of a new proposal
	// riders are the operations queued behind this one on the key that
	// its proposal also serves (see decide).
	riders []*op
}

// begin starts a new round with a fresh ballot, unless o's proposal
// could not be made before its deadline: such a round would only
// preempt the coordinators that can still finish theirs (see
// roundsToPropose).
//
// The ballot is the coordinator's clock, but above its own ballots, the
// promise of any refusal this op has had, and the promise its own
// acceptor holds for the key. Finding (issue 11): with clocks alone, a
// coordinator whose clock ran behind its peers' prepared below the
// ballots they had already prepared, and was refused by every replica,
// its own acceptor first; after yielding it prepared at its clock again,
// still behind. In the mixture's seed 156 (sixteen clients on one key,
// clocks up to 14ms apart) the two coordinators whose clocks ran 8.6ms
// and 6.2ms behind won 4 of their 80 and 92 prepares after the heal,
// the one 8ms ahead 54 of 61; a read whose attempts alternated between
// the two laggards was answered Unknown at each of its five, and went
// unanswered past its deadline. Its own acceptor's promise is what a
// coordinator knows of the newest ballot without a message; preparing
// above it makes ballots follow the key's rounds rather than a clock's
// error, as Lamport clocks do. (caspaxos counts ballots instead of
// reading a clock.)
//
// Before preparing, an operation on its first attempt defers to a losing
// rival's round in progress at its own acceptor (rtt.Deference): the
// acceptor promised it a moment ago, had refused that rival since it
// last accepted one of its proposals, and has not seen the round commit.
// onCommit begins the operation when the commit arrives; a timer of
// twice a rival's operation, in this coordinator's rounds, when it does
// not. An operation refused before does not defer (it is the one losing).
// Finding (issue 11): without it, a coordinator with shorter rounds or a
// client that never pauses preempted a more distant one at every attempt
// (geo4 with a 3s deadline: 7 of 100 seeds stuck; see the package doc).
func (n *node) begin(env *protocol.Env, o *op) {
	s := n.state(o.req.Op.Key)
	if r := register.Eval(s.Committed.Value, o.req, o.client); r.Recorded && r.Reply.Status != protocol.Unknown {
		// The value this node's acceptor holds as chosen records o's
		// outcome (o ran elsewhere, or its proposal was completed by a
		// rival): its answer is final (see onPromise), and a round
		// would only preempt the operations still to run. Finding
		// (issue 11): a write whose proposal a rival had completed
		// prepared again only to learn its outcome, and the hold its
		// prepare left at its own acceptor outlived it: the read queued
		// behind it deferred to that hold (an older ticket) until its
		// 1s attempt ran out, and so at each next coordinator until its
		// 5s deadline (seed 19 of the first command: 20-80ms
		// one-way, three clients of two operations on one key). finish
		// also releases the hold.
		n.finish(env, o, r.Reply)
		return
	}
	if env.NowNs+n.roundsToPropose()*n.cfg.RoundTripNs > o.req.DeadlineNs {
		n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
		return
	}
	promised := s.Promised
	opNs := 2 * (n.roundsToPropose() + 1) * n.rounds.RoundNs()
	// An operation beginning again (refused, timed out, deferred, or
	// restarting after a repair) asks the acceptors to hold the key for
	// it until its proposal, with a round to spare.
	var roundNs int64
	if o.began {
		roundNs = n.rounds.RoundNs()
	}
	o.began = true
	if holder, waitNs, ok := n.deference.Holder(env, o.req.Op.Key, promised, o.ticket); ok {
		// An older operation holds the key at this node's acceptor:
		// a prepare would be refused there and at the holder's other
		// acceptors.
		o.phase, o.deferredTo = phDefer, holder
		n.deference.Wait(o.req.Op.Key, o.id, holder)
		o.Defer(env, o.req.Op.Key, o.id, waitNs, o.req.DeadlineNs)
		return
	}
	if o.Attempt > 0 {
		// refused before: defer to no one (see begin)
	} else if rival, waitNs, ok := n.deference.Rival(env, o.req.Op.Key, promised, s.Committed.Ballot, o.deferredTo, opNs); ok {
		o.phase, o.deferredTo = phDefer, rival
		n.deference.Wait(o.req.Op.Key, o.id, rival)
		o.Defer(env, o.req.Op.Key, o.id, waitNs, o.req.DeadlineNs)
		return
	}
	b := n.nextBallot(env, o, promised)
	n.lastBallot, o.ballot = b, b
	o.inProgress, o.newest, o.promisedBefore = Proposal{}, Proposal{}, Ballot{}
	if o.commitOf == nil {
		o.commitOf = make([]Ballot, n.cfg.N)
	}
	clear(o.commitOf)
	o.promisers, o.heldSeen = 0, false
	n.enter(env, o, phPrepare, n.quorum)
	o.askedHold = o.askedHold || roundNs > 0
	n.broadcast(env, prepare{Key: o.req.Op.Key, Op: o.id, Ballot: b, Ticket: o.ticket, RoundNs: roundNs})
}

// nextBallot is a fresh ballot for o: the clock, but above this
// coordinator's last ballot, the promises that refused o and the promise
// its own acceptor holds (see begin).
func (n *node) nextBallot(env *protocol.Env, o *op, promised Ballot) Ballot {
	return ballot.New(max(env.NowNs, n.lastBallot.TimeNs+1, o.highestPromise.TimeNs+1, promised.TimeNs+1), env)
}

// enter moves o to phase p, waiting for need answers, with a round timer.
func (n *node) enter(env *protocol.Env, o *op, p phase, need int) {
	o.phase = p
	o.tally.Reset(need)
	o.Enter(env, &n.rounds, o.req.Op.Key, o.id, o.req.DeadlineNs)
}

// retry backs off for a random time, growing with attempts, then begins a
// new round.
func (n *node) retry(env *protocol.Env, o *op) {
	o.phase = phBackoff
	o.Backoff(env, &n.rounds, o.req.Op.Key, o.id, backoffBaseNs, backoffMaxNs, o.req.DeadlineNs)
}

// refused counts a refusal; when a quorum can no longer form, yield to
// the winner: until its commit reaches this node's acceptor (onCommit),
// or the yield's timer fires, whichever is first. Waking at the commit
// puts the loser's prepare ahead of the winner's next operation; on the
// timer alone, under geo4, it landed inside that operation's rounds.
func (n *node) refused(env *protocol.Env, o *op, promised Ballot, held bool) {
	o.highestPromise = ballot.Max(o.highestPromise, promised)
	o.heldSeen = o.heldSeen || held
	if o.tally.Nack(len(n.group)) {
		o.Refused(env, &n.rounds)
		n.lost(env, o)
	}
}

// lost ends a round that the refusals have lost (see refused).
func (n *node) lost(env *protocol.Env, o *op) {
	if o.phase == phPrepare && !o.heldSeen {
		// Refused by ballots alone, by no hold: no acceptor knows an
		// older operation, so this one goes first. It prepares again at
		// once, above the promises that refused it, and asks for a hold
		// (begin).
		o.Again()
		n.begin(env, o)
		return
	}
	o.phase = phDefer
	o.Yield(env, &n.rounds, o.req.Op.Key, o.id, yieldRounds, yieldJitterRounds, o.req.DeadlineNs)
	// The winner's commit reaching this node's acceptor ends the yield
	// early (see begin).
	n.deference.Wait(o.req.Op.Key, o.id, o.highestPromise)
}

func (n *node) finish(env *protocol.Env, o *op, r protocol.Reply) {
	r.ID, r.Token = o.req.ID, o.req.Token
	env.Reply(o.client, r)
	delete(n.ops, o.id)
	n.deference.Release(o.req.Op.Key, o.ticket)
	if next, ok := n.lanes.Leave(o.req.Op.Key, o.id); ok {
		n.begin(env, n.ops[next])
	}
}

func (n *node) current(id uint64, b Ballot, phases ...phase) *op {
	o, ok := n.ops[id]
	if !ok || o.ballot != b {
		return nil
	}
	for _, p := range phases {
		if o.phase == p {
			return o
		}
	}
	return nil
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
	if r := register.Eval(m.Committed.Value, o.req, o.client); r.Recorded && r.Reply.Status != protocol.Unknown {
		// The outcome is in a chosen value already: o ran elsewhere
		// (its client retried or hedged). Its answer is final; the
		// round would only preempt the operations still to run.
		// Finding (issue 11): such a copy, the oldest on its key, held
		// the key at the acceptors round after round (see begin), and
		// its lane, a read of the same client queued behind it, for
		// 1.3s (paxos seed 71 of the classic geo4 sweep, 3s deadline).
		n.finish(env, o, r.Reply)
		return
	}
	if o.inProgress.Ballot.Less(m.Accepted.Ballot) {
		o.inProgress = m.Accepted
	}
	if o.newest.Ballot.Less(m.Committed.Ballot) {
		o.newest = m.Committed
	}
	o.promisedBefore = ballot.Max(o.promisedBefore, m.Before)
	o.commitOf[from] = m.Committed.Ballot
	o.promisers |= 1 << uint(from)
	if !o.tally.OK() {
		return
	}
	key := o.req.Op.Key
	if n.inProgress(o) {
		// Complete the in-progress proposal under our ballot first. The
		// cassandra-6012 variant skips this and proposes its own value.
		o.proposal = Proposal{Ballot: o.ballot, Value: o.inProgress.Value}
		n.enter(env, o, phRepairPropose, n.quorum)
		n.broadcast(env, propose{Key: key, Op: o.id, Proposal: o.proposal})
		return
	}
	// Only promisers count: a refusal carries no commit. Finding (issue
	// 11): counting every replica that answered sent the newest commit to
	// the one that had refused (it had just promised a rival), waited for
	// its acknowledgement and prepared again, to be refused by another;
	// with five coordinators on one key at 20ms one-way, all of them did
	// only this for eleven seconds (62 prepares a second, not one
	// proposal: paxos2 seed 38 with a longer yield), and the same loop
	// cost paxos a 1.2s stall and a stuck read (seed 71, where each of
	// the read's four coordinators answered Unknown after 3s).
	var missing []protocol.NodeID
	for i, b := range o.commitOf {
		if o.promisers&(1<<uint(i)) != 0 && b.Less(o.newest.Ballot) {
			missing = append(missing, protocol.NodeID(i))
		}
	}
	if len(missing) > 0 {
		// Bring the promisers up to the newest commit, then start over.
		// The acknowledgements carry the commit's ballot.
		n.enter(env, o, phFixCommit, len(missing))
		o.ballot = o.newest.Ballot
		for _, to := range missing {
			env.Send(to, commit{Key: key, Op: o.id, Proposal: o.newest})
		}
		return
	}
	if n.opts.v2 {
		// Paxos v2: the promises carried the committed values, and no
		// promiser lacks the newest: that is the current value.
		n.decide(env, o, o.newest.Value)
		return
	}
	n.enter(env, o, phRead, n.quorum)
	o.newest = Proposal{}
	n.broadcast(env, readReq{Key: key, Op: o.id, Ballot: o.ballot})
}

func (n *node) onReadResp(env *protocol.Env, from protocol.NodeID, m readResp) {
	o := n.current(m.Op, m.Ballot, phRead)
	if o == nil || !o.tally.First(from) {
		return
	}
	if o.newest.Ballot.Less(m.Committed.Ballot) {
		o.newest = m.Committed
	}
	if !o.tally.OK() {
		return
	}
	n.decide(env, o, o.newest.Value)
}

// decide evaluates the request on the key's current value and proposes the
// result, or answers at once when the outcome is already known.
func (n *node) decide(env *protocol.Env, o *op, cur Value) {
	r := register.Eval(cur, o.req, o.client)
	if !r.Recorded && n.opts.forgetFailedCompare && r.Reply.Status == protocol.CompareFailed {
		r.Next = cur // the failed compare is not recorded with its token
	}
	if !r.Recorded && n.opts.noTombstone && o.req.Resolve {
		r.Next = cur // "not applied", but no tombstone for later executions
	}
	if r.Recorded || env.NowNs > o.req.DeadlineNs {
		// o itself proposes nothing: its outcome is recorded already, or
		// it is past its deadline. Its promises still serve the
		// operations queued behind it, if any can ride.
		reply := r.Reply
		if !r.Recorded {
			reply = protocol.Reply{Status: protocol.Unknown}
		}
		next := n.ride(env, o, cur)
		if len(o.riders) == 0 {
			n.finish(env, o, reply)
			return
		}
		o.reply = reply
		o.proposal = Proposal{Ballot: o.ballot, Value: next}
		n.enter(env, o, phPropose, n.quorum)
		n.broadcast(env, propose{Key: o.req.Op.Key, Op: o.id, Proposal: o.proposal})
		return
	}
	if !r.Writes && n.opts.noEmptyProposal {
		n.finish(env, o, r.Reply) // CASSANDRA-12126
		return
	}
	skips := o.req.Op.Kind == model.Read || (n.opts.failedCasSkips && r.Reply.Status == protocol.CompareFailed)
	if n.opts.v2 && skips && !o.req.Resolve && !o.newest.Ballot.Less(o.promisedBefore) {
		// Paxos v2: no promiser had promised past the newest commit, so
		// no proposal newer than it can be in progress: the read needs
		// no empty proposal. (A failed cas still proposes here, unlike
		// in Cassandra: its outcome must enter the token window.)
		n.finish(env, o, r.Reply)
		return
	}
	// A read, a failed cas and a resolving read that found nothing propose
	// the value unchanged: the empty proposal.
	o.reply = r.Reply
	o.proposal = Proposal{Ballot: o.ballot, Value: n.ride(env, o, r.Next)}
	n.enter(env, o, phPropose, n.quorum)
	n.broadcast(env, propose{Key: o.req.Op.Key, Op: o.id, Proposal: o.proposal})
}

// ride evaluates the operations queued behind o on its key, in order, on
// next (the value o's proposal makes), and returns the value that serves
// them all: one proposal, chosen once, takes effect for o and then each
// rider in turn, so they linearize at its commit in that order, and each
// one's outcome enters the token window as if it had run alone. Riders
// past their deadline stay queued (they are answered Unknown when their
// turn comes). The riders are answered when the proposal commits; if the
// round is lost instead, they stay queued and ride again.
//
// Finding (issue 11): one key admits one Paxos round at a time, four
// round trips in paxos, so sixteen clients on one key wait for each
// other's rounds one by one: about 128ms on the lan, past the 60ms
// attempt timeout, after which every client retried at a second
// coordinator and doubled the work (every seed stuck). A coordinator's
// queued operations riding one round is group commit: the key's capacity
// grows with its queue instead of its latency.
func (n *node) ride(env *protocol.Env, o *op, next Value) Value {
	o.riders = o.riders[:0]
	if !n.groupCommit {
		return next
	}
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

func (n *node) onAccepted(env *protocol.Env, from protocol.NodeID, m accepted) {
	o := n.current(m.Op, m.Ballot, phRepairPropose, phPropose)
	if o == nil || !o.tally.First(from) {
		return
	}
	if !m.OK {
		n.refused(env, o, m.Promised, false)
		return
	}
	if !o.tally.OK() {
		return
	}
	next := phCommit
	if o.phase == phRepairPropose {
		next = phRepairCommit
	}
	n.enter(env, o, next, n.quorum)
	n.broadcast(env, commit{Key: o.req.Op.Key, Op: o.id, Proposal: o.proposal})
}

func (n *node) onCommitted(env *protocol.Env, from protocol.NodeID, m committed) {
	o := n.current(m.Op, m.Ballot, phRepairCommit, phFixCommit, phCommit)
	if o == nil || !o.tally.First(from) {
		return
	}
	if !o.tally.OK() {
		return
	}
	if o.phase == phCommit {
		n.chosen(env, o)
		return
	}
	if o.phase == phRepairCommit {
		n.repaired(env, o)
		return
	}
	n.begin(env, o) // the promisers have the newest commit: start over
}

// repaired ends the commit of the in-progress proposal o completed:
// o starts over with a new ballot, unless it is a plain read. A read
// answers the value it completed: that value was chosen at o's ballot,
// and was the key's value at some moment after o began (any
// value chosen after it is built on it, and any value chosen at a
// higher ballot was accepted after an acceptor of o's quorum promised
// o, so after o began), so the read linearizes there, as it would at
// its own empty proposal. Finding (issue 11): starting over, a read on
// a key that five coordinators kept busy (20-80ms one-way, four clients
// of two operations each) completed a rival's proposal at each of its
// 1s attempts and then had no time left for its own round: answered
// Unknown five times, unanswered at its 5s deadline (paxos seed 99 of
// the first command).
func (n *node) repaired(env *protocol.Env, o *op) {
	if o.plainRead() {
		v := o.proposal.Value
		n.finish(env, o, protocol.Reply{Status: protocol.OK, Has: v.Has, Value: v.V})
		return
	}
	n.begin(env, o)
}

// plainRead: o is a client's read, not a resolving one.
func (o *op) plainRead() bool { return o.req.Op.Kind == model.Read && !o.req.Resolve }

// chosen answers o and its riders from the proposal a quorum accepted:
// when a quorum acknowledged its commit, or when the commit round timed
// out. The value was chosen at the accepts (every later round finds it
// among the promises and completes it), so the answer is as final
// either way. Finding (issue 11): under geo4 with a 3s deadline, a read
// from eu-west-1 (seed 1 of the classic profile) had its proposal
// accepted, and its commit's seventh acknowledgement was still on its
// way from us-east-2 when the round's timer, capped at the deadline,
// fired: the coordinator started over, too late to make a proposal, and
// answered Unknown; the read went unanswered. (The same commit timeout
// left paxos seed 12 of the mixture's geo4 sweep with a 2s deadline
// stuck.)
func (n *node) chosen(env *protocol.Env, o *op) {
	for _, q := range o.riders {
		n.lanes.Remove(q.req.Op.Key, q.id)
		n.finish(env, q, q.reply)
	}
	o.riders = nil
	n.finish(env, o, o.reply)
}

// inProgress reports whether o's promises show a proposal to complete
// before o may propose: accepted at a ballot above every commit among
// them, and with a value other than the newest commit's.
//
// An accepted proposal whose value equals the newest commit's changes
// nothing whether or not it was chosen (register.Value.Equal: equal
// values of one key mean nothing happened between them), so it needs no
// completion, as Cassandra does not complete an in-progress proposal
// whose update is empty. Finding (issue 11): completing those anyway
// livelocked a contended key. A coordinator that completed a proposal
// re-prepares at once; its promises show the previous coordinator's
// completion of the same value, accepted but whose commit is still in
// flight, which it completes in turn. Three coordinators passed one
// value around this way, each re-proposal at a higher ballot, each
// commit of it followed by a prepare that found the next re-proposal:
// at a 20ms one-way latency with sixteen clients on one key, no client
// got an answer for a second at a time (seed 3), and 33 of 40 seeds
// left an operation unanswered at its 8s deadline.
func (n *node) inProgress(o *op) bool {
	if n.opts.ignoreInProgress || !o.newest.Ballot.Less(o.inProgress.Ballot) {
		return false
	}
	return !o.inProgress.Value.Equal(o.newest.Value)
}

// roundsToPropose is how many round trips a new round needs before it
// makes its proposal (prepare and read; paxos2 reads with the prepare),
// and one to spare. They are counted in the deployment's round trip
// (protocol.Config.RoundTripNs), not the measured one: after a surge the
// measured rounds include the queueing of the overload and shrink only
// slowly, and counted in them, coordinators answered Unknown to requests
// they could have served (compare's TestLoadRowsRecoveryAfterASurge: with
// shedding on, operations kept missing for 123ms after the surge instead
// of 49ms).
//
// Finding (issue 11): queued operations whose deadline was close began
// rounds they could not finish (no proposal is made past the deadline);
// each prepare preempted a coordinator that was about to propose. With
// sixteen clients on one key, every client's retries and hedges leave
// requests queued at coordinators the client has left, and these
// expiring heads kept the key's other coordinators from finishing.
func (n *node) roundsToPropose() int64 {
	if n.opts.v2 {
		return 2
	}
	return 3
}
