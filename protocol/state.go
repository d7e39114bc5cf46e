package protocol

import "io"

// StateEncoder is optional for a Node: a canonical encoding of the
// replica's state, for casim explore's visited set. Two replicas that will
// behave the same on every future input must write the same bytes, and
// two that may behave differently must not: the encoding must cover
// everything a handler reads (volatile and durable state alike), must not
// depend on map iteration order, and must not contain addresses. A node
// without it is encoded by reflection (package explore walks its fields,
// follows pointers and sorts map entries), which is exact but slower; a
// hand-written encoder may also leave out what is provably irrelevant (a
// statistic no handler reads) to merge more states. A Message may
// implement it too: explore then hashes messages in flight by it rather
// than by reflection.
type StateEncoder interface {
	EncodeState(w io.Writer)
}

// MessageEncoder is optional for a Node: EncodeMessage writes m, a
// message to this replica, as the replica reads it, for casim explore's
// hash of the messages in flight, and reports whether it did (false:
// explore encodes m as StateEncoder or reflection would). It may leave
// out a field that this replica never reads, for its protocol's options
// (a field only another variant reads), so that messages that differ
// only there are one message; two messages written alike must be handled
// alike by the replica, and by its Staleness, in every state. Explore
// hashes a message once, when it is sent, with the receiver it has then:
// the encoding may depend on the replica's configuration, never on its
// state.
type MessageEncoder interface {
	EncodeMessage(m Message, w io.Writer) bool
}

// Staleness is optional for a Node: it tells casim explore which messages
// in flight to the replica can no longer change anything, so that the
// search drops them instead of keeping states that differ only in a
// message that will never matter (the third answer to a round that had
// its quorum, say: one replica's answer or another's left over makes
// three states of one). Stale must be exact in one direction: it may
// answer true only if delivering m from replica from would, now and in
// every state the replica can reach from its current one (a restart from
// what it persisted included), change nothing at all: no state, no
// send, no reply, no timer, no record. Answering false is always safe.
//
// A request whose handling only answers its sender is dead as soon as the
// sender will ignore the answer, which only the two replicas together
// know: AnswersOnly is the receiver's half (delivering m from replica
// from, now and in every state the replica can reach, a restart
// included, changes nothing but answers sent back to from, and state
// its StateEncoder rightly leaves out), Ignores the
// sender's (every answer replica to may send to m, which this replica
// sent it, is stale here now and will stay so). Explore drops m when
// both say so.
type Staleness interface {
	Stale(from NodeID, m Message) bool
	AnswersOnly(from NodeID, m Message) bool
	Ignores(to NodeID, m Message) bool
}

// Eager is optional for a Node: casim explore asks a retired replica
// (Retirer), when no step moves the clock and no crash or duplicate is
// left to come, whether delivering m from replica from now may be the
// only step taken from the state (a persistent set: Godefroid, LNCS 1032,
// chapter 4). Eager must answer true only if, on every path from the
// state that does not deliver m, every step commutes with delivering m
// (delivering m before or after it reaches the same state, m stays in
// flight until delivered or becomes a delivery that changes nothing),
// and no cycle of steps passes through delivering it. A delivery to a
// client is never eager (it is what the history sees). Answering false
// is always safe.
type Eager interface {
	Eager(from NodeID, m Message) bool
}

// Retirer is optional for a Node: casim explore calls Retire on a
// replica once no client request can reach it again (none is in flight to
// it, and no client has an attempt left that goes to it), and again on the
// replica that a restart makes from it. Retire must not change how the
// replica behaves: from then on it may only treat as dead, in its
// encoding (StateEncoder) and its Staleness, what nothing but a future
// request would read (say, what a coordinator remembers for operations it
// has yet to begin). It is an optimisation of the search alone; a
// simulation never calls it.
type Retirer interface {
	Retire()
}

// Cloner is optional for a Node: a deep copy, which casim explore makes
// of a replica before each handler it runs (the successor state must not
// change its predecessor's replica). Without it explore copies by
// reflection, which is exact but slow. The copy must share nothing that a
// handler of either may change; what no handler changes (messages,
// immutable values, the Config) may be shared. Explore's
// TestCloneFidelity runs every registered protocol with copies and in
// place and compares the states.
type Cloner interface {
	CloneNode() Node
}
