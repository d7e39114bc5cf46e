package paxos

import (
	"fmt"
	"slices"

	"github.com/casimlab/casim/protocol"
)

// Ballot orders proposals. As in Cassandra, a ballot is a (time, random)
// pair: the coordinator's clock reading, then a random tie-breaker that also
// carries the node id so two coordinators never pick the same ballot.
type Ballot struct {
	TimeNs int64
	Tie    uint64
}

// Less orders ballots lexicographically.
func (b Ballot) Less(c Ballot) bool {
	if b.TimeNs != c.TimeNs {
		return b.TimeNs < c.TimeNs
	}
	return b.Tie < c.Tie
}

// IsZero reports the "no ballot yet" value.
func (b Ballot) IsZero() bool { return b == Ballot{} }

// Outcome records how one tokened operation ended: applied, or (for a cas)
// compare failed. Both are needed: a coordinator that finds only "applied"
// tokens would evaluate a retried cas again after the client was told it
// failed, and might apply it.
type Outcome struct {
	Token   protocol.Token
	Applied bool
}

// Value is the full state of one key as Paxos chooses it: the register and
// the window of recent outcomes. Proposals carry whole Values, so whatever
// a proposal is built on travels with it.
//
// Values are immutable once built: messages and storage share them.
type Value struct {
	Has      bool
	V        int64
	Outcomes []Outcome
	// EvictedNs is the latest token time ever evicted from Outcomes. A
	// token not in the window but older than this may have been evicted,
	// so its outcome is unknown.
	EvictedNs int64
}

// outcomeWindow bounds Outcomes per key, the way DynamoDB keeps client
// request tokens only for a while.
const outcomeWindow = 32

// lookup finds tok's outcome. known is false when tok may have been
// evicted from the window.
func (v Value) lookup(tok protocol.Token) (o Outcome, found, known bool) {
	for _, o := range v.Outcomes {
		if o.Token == tok {
			return o, true, true
		}
	}
	return Outcome{}, false, tok.TimeNs > v.EvictedNs
}

// with returns v after recording o (and, if applied, new data), evicting
// the oldest outcome past the window. It copies: v is shared.
func (v Value) with(o Outcome, has bool, data int64) Value {
	n := Value{Has: has, V: data, EvictedNs: v.EvictedNs}
	keep := v.Outcomes
	if len(keep) >= outcomeWindow {
		for _, e := range keep[:len(keep)-outcomeWindow+1] {
			n.EvictedNs = max(n.EvictedNs, e.Token.TimeNs)
		}
		keep = keep[len(keep)-outcomeWindow+1:]
	}
	n.Outcomes = append(slices.Clip(slices.Clone(keep)), o)
	return n
}

// Proposal is a Value under a ballot.
type Proposal struct {
	Ballot Ballot
	Value  Value
}

// acceptorState is one key's Paxos registers at one replica. It is what
// the replica persists, whole, on every change.
type acceptorState struct {
	Promised Ballot
	// Accepted is the latest proposal accepted (zero ballot: none).
	Accepted Proposal
	// Committed is the latest proposal committed: the key's data as this
	// replica knows it (Cassandra keeps it in the table; the ballot is the
	// write timestamp).
	Committed Proposal
}

// String renders a ballot compactly for traces: its time and a short tie.
func (b Ballot) String() string {
	if b.IsZero() {
		return "0"
	}
	return fmt.Sprintf("%d.%03x", b.TimeNs, b.Tie>>52)
}

// String renders a value compactly for traces: the data and the window's
// size, not every token.
func (v Value) String() string {
	data := "∅"
	if v.Has {
		data = fmt.Sprint(v.V)
	}
	return fmt.Sprintf("%s (%d outcomes)", data, len(v.Outcomes))
}
