package caspaxos

import "github.com/casimlab/casim/protocol"

// Stale reports whether an answer to a proposer's round can no longer
// change anything (protocol.Staleness, for casim explore). Requests to
// an acceptor (prepare, accept) are never stale: they move its promise
// or its value, or note a refusal (rtt.Deference), and are answered.
//
// An answer names its operation and ballot. It is stale once the
// operation is gone: finished (its id, 64 random bits, does not come
// back) or forgotten in a restart (operations are not persisted). A
// promise is also stale once the operation has left the prepare phase at
// that ballot, and an accept answer once it has left the accept phase,
// or when this replica's answer was counted there already (onPromise
// and onAccepted then return before changing anything): an operation
// holds a ballot fresh from begin (above every ballot its proposer drew
// before, lastBallot) or from the cache (a next ballot its proposer
// drew, used once), so it never comes back to a phase at an old ballot.
func (n *node) Stale(from protocol.NodeID, m protocol.Message) bool {
	var id uint64
	var b Ballot
	var counting phase
	switch m := m.(type) {
	case promise:
		id, b, counting = m.Op, m.Ballot, phPrepare
	case accepted:
		id, b, counting = m.Op, m.Ballot, phAccept
	default:
		return false
	}
	o, ok := n.ops[id]
	switch {
	case !ok || o.ballot != b:
		return true
	case o.phase == counting:
		return o.tally.Answered(from)
	case counting == phAccept && o.phase == phPrepare:
		return false // not yet reached at b
	}
	return true
}

// AnswersOnly reports false: a prepare or accept the promise refuses
// notes the refusal (Deference.Refused), which an accept from the same
// proposer clears again, so none only answers.
func (n *node) AnswersOnly(protocol.NodeID, protocol.Message) bool { return false }

// Ignores reports false: explore asks the sender only about a request
// its receiver would only answer (AnswersOnly), and none does here.
func (n *node) Ignores(protocol.NodeID, protocol.Message) bool { return false }
