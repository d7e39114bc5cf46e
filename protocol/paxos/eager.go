package paxos

import "github.com/casimlab/casim/protocol"

// Eager reports whether casim explore may deliver m, from replica from,
// before anything else (protocol.Eager): an acknowledgement of the
// commit of an operation's own chosen proposal (phCommit), at a retired
// replica whose only operation it is, never counted before, when no
// prepare of the operation ever asked for a hold.
//
// Such an acknowledgement commutes with every step that can come first.
// Its order among the round's other acknowledgements changes nothing
// (they carry only the ballot; the quorum's last one finishes the
// operation, after which the rest do nothing). The operation never
// begins a round again (phCommit ends in chosen), so the acceptor's
// requests to this replica, which read and write only the acceptor's
// records and the deference, read nothing it writes, and it reads
// nothing they write: finish's release of the operation's hold finds
// none, since no prepare asked for one; with no other operation and no
// request to come (retired), no lane hands the key on. Steps at other
// replicas commute with it as sleep sets have it. No cycle passes
// through it: the tally only grows until the operation finishes, and a
// finished operation does not come back.
func (n *node) Eager(from protocol.NodeID, m protocol.Message) bool {
	c, ok := m.(committed)
	if !ok || !n.retired || len(n.ops) != 1 {
		return false
	}
	o := n.ops[c.Op]
	return o != nil && o.ballot == c.Ballot && o.phase == phCommit && !o.tally.Answered(from) && !o.askedHold
}
