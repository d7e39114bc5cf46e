package paxos

import "github.com/casimlab/casim/protocol"

// Stale reports whether an answer to a coordinator's round can no longer
// change anything (protocol.Staleness, for casim explore). Requests to
// an acceptor (prepare, read, propose, commit) are never stale: they move
// its promise or its data, and an acceptor answers every one.
//
// An answer names its operation and ballot. It is stale once the
// operation is gone: finished (its id, 64 random bits, does not come
// back) or forgotten in a restart (operations are not persisted). A
// promise, read answer or accept answer is also stale once the operation
// has left the phase that counts it at that ballot, or counted this
// replica's answer there already: those phases are entered only at a
// ballot fresh from begin, above every ballot the replica drew before
// (lastBallot), so they never come back at an old one. A commit answer
// is kept while its operation lives: phFixCommit takes the ballot of the
// newest commit it found, which can be one of the operation's own
// earlier ones, so an old commit answer can count again.
func (n *node) Stale(from protocol.NodeID, m protocol.Message) bool {
	var id uint64
	var b Ballot
	var before, at []phase // phases not yet reached at b, and the counting ones
	switch m := m.(type) {
	case promise:
		id, b, at = m.Op, m.Ballot, []phase{phPrepare}
	case readResp:
		id, b, before, at = m.Op, m.Ballot, []phase{phPrepare}, []phase{phRead}
	case accepted:
		id, b, before, at = m.Op, m.Ballot, []phase{phPrepare, phRead}, []phase{phRepairPropose, phPropose}
	case committed:
		_, ok := n.ops[m.Op]
		return !ok
	default:
		return false
	}
	o, ok := n.ops[id]
	if !ok || o.ballot != b {
		return true
	}
	for _, p := range before {
		if o.phase == p {
			return false
		}
	}
	for _, p := range at {
		if o.phase == p {
			return o.tally.Answered(from)
		}
	}
	return true
}

// AnswersOnly reports whether an acceptor request would only be answered
// (protocol.Staleness), now and for ever: a read; a refused prepare or
// proposal from this replica's own coordinator; at a retired replica,
// also another's, and an old commit (refusedOnly in retire.go).
// Otherwise, a prepare or propose
// that the promise refuses notes the refusal (Deference.Refused), which
// an accept from the same coordinator clears again, and a commit, even
// one no newer than the acceptor's, wakes the operations deferring to its
// round (Deference.Ended): neither only answers. (Before the deference
// was merged, refused prepares and proposes and old commits were dropped
// too, and paxos's one write had 342 states.)
func (n *node) AnswersOnly(from protocol.NodeID, m protocol.Message) bool {
	if _, ok := m.(readReq); ok {
		return true
	}
	return n.refusedOnly(from, m)
}

// Ignores reports whether every answer to m, an acceptor request this
// coordinator sent replica to, would be stale here (protocol.Staleness).
func (n *node) Ignores(to protocol.NodeID, m protocol.Message) bool {
	switch m := m.(type) {
	case prepare:
		return n.Stale(to, promise{Key: m.Key, Op: m.Op, Ballot: m.Ballot})
	case readReq:
		return n.Stale(to, readResp{Key: m.Key, Op: m.Op, Ballot: m.Ballot})
	case propose:
		return n.Stale(to, accepted{Key: m.Key, Op: m.Op, Ballot: m.Proposal.Ballot})
	case commit:
		return n.Stale(to, committed{Key: m.Key, Op: m.Op, Ballot: m.Proposal.Ballot})
	}
	return false
}
