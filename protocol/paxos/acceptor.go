package paxos

import "github.com/casimlab/casim/protocol"

// The acceptor side: every replica keeps, per key, a promise and the latest
// accepted and committed proposals, and persists them before it answers.

func (n *node) state(key string) acceptorState { return n.keys[key] }

func (n *node) save(env *protocol.Env, key string, s acceptorState) {
	n.keys[key] = s
	env.Persist(key, s)
}

func (n *node) onPrepare(env *protocol.Env, from protocol.NodeID, m prepare) {
	s := n.state(m.Key)
	held := n.deference.Holds(env, m.Key, s.Promised, m.Ticket)
	if !s.Promised.Less(m.Ballot) || held {
		n.deference.Refused(m.Key, from)
		env.Send(from, promise{Key: m.Key, Op: m.Op, Ballot: m.Ballot, Promised: s.Promised, Held: held})
		return
	}
	before := s.Promised
	s.Promised = m.Ballot
	n.deference.Granted(env, m.Key, from, m.Ballot)
	n.deference.Hold(env, m.Key, m.Ballot, m.Ticket, m.RoundNs, n.roundsToPropose()+1)
	if n.opts.volatilePromise {
		// The promise is answered before it is durable: a crash and
		// restart forgets it (until an accept or commit persists it).
		n.keys[m.Key] = s
	} else {
		n.save(env, m.Key, s)
	}
	env.Send(from, promise{Key: m.Key, Op: m.Op, Ballot: m.Ballot, OK: true,
		Promised: s.Promised, Before: before, Accepted: s.Accepted, Committed: s.Committed})
}

func (n *node) onRead(env *protocol.Env, from protocol.NodeID, m readReq) {
	env.Send(from, readResp{Key: m.Key, Op: m.Op, Ballot: m.Ballot, Committed: n.state(m.Key).Committed})
}

func (n *node) onPropose(env *protocol.Env, from protocol.NodeID, m propose) {
	s := n.state(m.Key)
	b := m.Proposal.Ballot
	// Cassandra accepts at a ballot equal to or above its promise. The
	// accept-any-ballot variant skips this check (ScyllaDB issue 6139).
	if b.Less(s.Promised) && !n.opts.acceptAnyBallot {
		n.deference.Refused(m.Key, from)
		env.Send(from, accepted{Key: m.Key, Op: m.Op, Ballot: b, Promised: s.Promised})
		return
	}
	// Accepting a ballot is also promising it. Without this, a replica
	// that accepted a higher ballot it never saw a prepare for could then
	// accept a lower one at its old promise, overwriting a chosen value
	// (casim found this on seed 1025: a committed write was lost).
	s.Accepted = m.Proposal
	n.deference.Accepted(m.Key, from)
	n.deference.Proposed(m.Key, b)
	if s.Promised.Less(b) && !n.opts.acceptKeepsPromise {
		s.Promised = b
	}
	n.save(env, m.Key, s)
	env.Send(from, accepted{Key: m.Key, Op: m.Op, Ballot: b, OK: true, Promised: s.Promised})
}

func (n *node) onCommit(env *protocol.Env, from protocol.NodeID, m commit) {
	s := n.state(m.Key)
	// Commit is unconditional, but only a newer commit replaces the data
	// (the ballot is the write timestamp).
	if s.Committed.Ballot.Less(m.Proposal.Ballot) {
		s.Committed = m.Proposal
		if n.opts.pruneAfterCommit {
			// ScyllaDB 6154: the Paxos state goes once the value is in.
			s.Promised, s.Accepted = Ballot{}, Proposal{}
		}
		n.save(env, m.Key, s)
	}
	env.Send(from, committed{Key: m.Key, Op: m.Op, Ballot: m.Proposal.Ballot})
	// The round this node's coordinator deferred to has ended: its
	// deferred operations may prepare now (begin in coordinator.go).
	for _, id := range n.deference.Ended(m.Key, m.Proposal.Ballot) {
		if o := n.ops[id]; o != nil && o.phase == phDefer {
			n.begin(env, o)
		}
	}
}
