package paxos

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
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
)

// Timing of a coordinator, in local nanoseconds.
const (
	roundTimeoutNs = 10_000_000 // a round with no quorum by then is retried
	backoffBaseNs  = 1_000_000
	backoffMaxNs   = 32_000_000
)

type op struct {
	id     uint64
	client protocol.ClientID
	req    protocol.Request

	phase    phase
	ballot   Ballot
	attempt  int
	timerSeq uint64

	// Responses to the current phase.
	seen  uint64 // bitmask of replicas that answered (messages may be duplicated)
	oks   int
	nacks int
	need  int // answers the phase waits for

	// Aggregates of the current phase.
	highestPromise Ballot
	inProgress     Proposal // newest accepted among promises
	newest         Proposal // newest committed among promises or reads
	commitOf       []Ballot // per promiser: its committed ballot (zero: no answer)

	proposal Proposal       // what this op proposes or commits
	reply    protocol.Reply // sent after the commit of a new proposal
}

// begin starts a new round with a fresh ballot.
func (n *node) begin(env *protocol.Env, o *op) {
	if env.NowNs > o.req.DeadlineNs {
		n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
		return
	}
	b := Ballot{TimeNs: max(env.NowNs, n.lastBallot.TimeNs+1, o.highestPromise.TimeNs+1),
		Tie: env.Rand.Uint64()<<8 | uint64(n.cfg.Self&0xff)}
	n.lastBallot, o.ballot = b, b
	o.inProgress, o.newest = Proposal{}, Proposal{}
	if o.commitOf == nil {
		o.commitOf = make([]Ballot, n.cfg.N)
	}
	clear(o.commitOf)
	n.enter(env, o, phPrepare, n.cfg.Quorum())
	env.Broadcast(prepare{Key: o.req.Op.Key, Op: o.id, Ballot: b})
}

// enter moves o to phase p, waiting for need answers, with a round timer.
func (n *node) enter(env *protocol.Env, o *op, p phase, need int) {
	o.phase, o.need = p, need
	o.seen, o.oks, o.nacks = 0, 0, 0
	o.timerSeq++
	env.SetTimer(roundTimeoutNs, protocol.Timer{Key: o.req.Op.Key, ID: o.id, Seq: o.timerSeq})
}

// answer records that replica from answered o's current phase, once.
func (o *op) answer(from protocol.NodeID) bool {
	bit := uint64(1) << uint(from)
	if o.seen&bit != 0 {
		return false
	}
	o.seen |= bit
	return true
}

// retry backs off for a random time, growing with attempts, then begins a
// new round.
func (n *node) retry(env *protocol.Env, o *op) {
	o.attempt++
	capNs := min(int64(backoffBaseNs)<<min(o.attempt, 10), backoffMaxNs)
	o.phase = phBackoff
	o.timerSeq++
	env.SetTimer(1+env.Rand.Int64N(capNs), protocol.Timer{Key: o.req.Op.Key, ID: o.id, Seq: o.timerSeq})
}

// refused counts a refusal; when a quorum can no longer form, retry.
func (n *node) refused(env *protocol.Env, o *op, promised Ballot) {
	o.nacks++
	if o.highestPromise.Less(promised) {
		o.highestPromise = promised
	}
	if o.nacks > n.cfg.N-n.cfg.Quorum() {
		n.retry(env, o)
	}
}

func (n *node) finish(env *protocol.Env, o *op, r protocol.Reply) {
	r.ID, r.Token = o.req.ID, o.req.Token
	env.Reply(o.client, r)
	delete(n.ops, o.id)
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
	if o == nil || !o.answer(from) {
		return
	}
	if !m.OK {
		n.refused(env, o, m.Promised)
		return
	}
	o.oks++
	if o.inProgress.Ballot.Less(m.Accepted.Ballot) {
		o.inProgress = m.Accepted
	}
	if o.newest.Ballot.Less(m.Committed.Ballot) {
		o.newest = m.Committed
	}
	o.commitOf[from] = m.Committed.Ballot
	if o.oks < o.need {
		return
	}
	key := o.req.Op.Key
	if o.newest.Ballot.Less(o.inProgress.Ballot) {
		// Complete the in-progress proposal under our ballot first.
		o.proposal = Proposal{Ballot: o.ballot, Value: o.inProgress.Value}
		n.enter(env, o, phRepairPropose, n.cfg.Quorum())
		env.Broadcast(propose{Key: key, Op: o.id, Proposal: o.proposal})
		return
	}
	promisers := o.seen
	var missing []protocol.NodeID
	for i, b := range o.commitOf {
		if promisers&(1<<uint(i)) != 0 && b.Less(o.newest.Ballot) {
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
	n.enter(env, o, phRead, n.cfg.Quorum())
	o.newest = Proposal{}
	env.Broadcast(readReq{Key: key, Op: o.id, Ballot: o.ballot})
}

func (n *node) onReadResp(env *protocol.Env, from protocol.NodeID, m readResp) {
	o := n.current(m.Op, m.Ballot, phRead)
	if o == nil || !o.answer(from) {
		return
	}
	o.oks++
	if o.newest.Ballot.Less(m.Committed.Ballot) {
		o.newest = m.Committed
	}
	if o.oks < o.need {
		return
	}
	n.decide(env, o, o.newest.Value)
}

// decide evaluates the request on the key's current value and proposes the
// result, or answers at once when the outcome is already known.
func (n *node) decide(env *protocol.Env, o *op, cur Value) {
	req := o.req
	out, found, known := cur.lookup(req.Token)
	if req.Resolve || req.Op.Kind != model.Read {
		switch {
		case found && out.Applied:
			n.finish(env, o, protocol.Reply{Status: protocol.OK})
			return
		case found:
			n.finish(env, o, protocol.Reply{Status: protocol.CompareFailed})
			return
		case !known:
			n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
			return
		}
	}
	if env.NowNs > req.DeadlineNs {
		n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
		return
	}
	next := cur
	switch {
	case req.Resolve:
		// Not applied: commit an empty proposal so that it never will be.
		o.reply = protocol.Reply{Status: protocol.NotApplied}
	case req.Op.Kind == model.Read:
		o.reply = protocol.Reply{Status: protocol.OK, Has: cur.Has, Value: cur.V}
	case req.Op.Kind == model.Write:
		next = cur.with(Outcome{Token: req.Token, Applied: true}, true, req.Op.Value)
		o.reply = protocol.Reply{Status: protocol.OK}
	case cur.Has && cur.V == req.Op.Expected: // cas, compare holds
		next = cur.with(Outcome{Token: req.Token, Applied: true}, true, req.Op.Value)
		o.reply = protocol.Reply{Status: protocol.OK}
	default: // cas, compare failed: record it, keep the data
		next = cur.with(Outcome{Token: req.Token}, cur.Has, cur.V)
		o.reply = protocol.Reply{Status: protocol.CompareFailed}
	}
	o.proposal = Proposal{Ballot: o.ballot, Value: next}
	n.enter(env, o, phPropose, n.cfg.Quorum())
	env.Broadcast(propose{Key: req.Op.Key, Op: o.id, Proposal: o.proposal})
}

func (n *node) onAccepted(env *protocol.Env, from protocol.NodeID, m accepted) {
	o := n.current(m.Op, m.Ballot, phRepairPropose, phPropose)
	if o == nil || !o.answer(from) {
		return
	}
	if !m.OK {
		n.refused(env, o, m.Promised)
		return
	}
	o.oks++
	if o.oks < o.need {
		return
	}
	next := phCommit
	if o.phase == phRepairPropose {
		next = phRepairCommit
	}
	n.enter(env, o, next, n.cfg.Quorum())
	env.Broadcast(commit{Key: o.req.Op.Key, Op: o.id, Proposal: o.proposal})
}

func (n *node) onCommitted(env *protocol.Env, from protocol.NodeID, m committed) {
	o := n.current(m.Op, m.Ballot, phRepairCommit, phFixCommit, phCommit)
	if o == nil || !o.answer(from) {
		return
	}
	o.oks++
	if o.oks < o.need {
		return
	}
	if o.phase == phCommit {
		n.finish(env, o, o.reply)
		return
	}
	n.begin(env, o) // repaired: start over with a new ballot
}
