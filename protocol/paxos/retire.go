package paxos

import "github.com/casimlab/casim/protocol"

// Retirement, for casim explore (protocol.Retirer): a replica that no
// client request will reach again starts no operation again, so what
// only an operation's begin reads is dead once no operation left can
// begin with it:
//
//   - The deference's grants and refusals (rtt.Deference): only begin
//     reads them (Rival), and only for an operation on its first attempt;
//     an operation's attempts only grow, only a request makes a new one,
//     and one reading, proposing or committing its own value begins no
//     round again before it counts an attempt (firstAttempts). With no
//     operation left that may, they are left out of the
//     encoding, and a prepare or proposal the promise refuses, which
//     changes nothing else, only answers (AnswersOnly): explore drops it
//     once its sender ignores the answer.
//   - With no operation at all: the coordinator's last ballot, its round
//     estimate and the operations deferring (begin, the operations' phases
//     and the deference's wake-ups read them, for operations there are
//     none of); and a commit no newer than the acceptor's, which then
//     changes nothing, only answers.
//
// The acceptor's records are never dead. The refused messages only answer
// for ever because a promise never moves back: not under volatile-promise,
// where a restart forgets it, nor prune-after-commit, which clears it.

// Retire marks the replica as one no request will reach again.
func (n *node) Retire() { n.retired = true }

// firstAttempts reports whether an operation of n may still defer to a
// rival: one on its first attempt that may begin a round again before it
// counts another, or one a request may bring.
//
// An operation reading, proposing or committing its own value begins no
// round on its first attempt again: it finishes, or a refusal (Yield) or
// a timeout (Backoff) counts an attempt first (so does a mixed-writes
// write, which never begins a round). Every other phase may begin one
// at once: a prepare that finds work to repair or commits to fix, the
// repair and the fix themselves, a deferral, a queued operation.
func (n *node) firstAttempts() bool {
	if !n.retired {
		return true
	}
	for _, o := range n.ops {
		if o.Attempt > 0 {
			continue
		}
		switch o.phase {
		case phRead, phPropose, phCommit, phMixedWrite:
		default:
			return true
		}
	}
	return false
}

// refusedOnly reports whether m, from replica from, would be refused now
// and for ever, with nothing but its answer and the deference's note of
// the refusal, which no operation will read: at a retired replica, or
// when from is this replica itself (Granted never defers to its own
// coordinator, so the deference's note of its refusals is never read
// and EncodeState leaves it out).
func (n *node) refusedOnly(from protocol.NodeID, m any) bool {
	if (from != n.cfg.Self && n.firstAttempts()) || n.opts.volatilePromise || n.opts.pruneAfterCommit {
		return false
	}
	switch m := m.(type) {
	case prepare:
		return !n.state(m.Key).Promised.Less(m.Ballot)
	case propose:
		return !n.opts.acceptAnyBallot && m.Proposal.Ballot.Less(n.state(m.Key).Promised)
	case commit:
		return n.retired && len(n.ops) == 0 && !n.state(m.Key).Committed.Ballot.Less(m.Proposal.Ballot)
	}
	return false
}
