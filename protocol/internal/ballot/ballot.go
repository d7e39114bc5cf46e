// Package ballot is the totally ordered, unique-per-proposer number that
// Paxos ballots, CASPaxos ballots and ABD tags all are: a (number, tie)
// pair. The number is a clock reading (Cassandra's ballots), a counter
// (CASPaxos) or a register timestamp (ABD); the tie is random with the
// proposer's node id in its low byte, so two proposers never draw the same
// ballot and a proposer never depends on another's counter to be unique.
package ballot

import (
	"fmt"

	"github.com/casimlab/casim/protocol"
)

// Ballot orders proposals lexicographically: TimeNs, then Tie.
type Ballot struct {
	// TimeNs is the ordering number: a clock reading in nanoseconds for
	// Paxos, a plain counter for CASPaxos and ABD.
	TimeNs int64
	Tie    uint64
}

// New draws a ballot with number at least floor, unique to this node.
func New(floor int64, env *protocol.Env) Ballot {
	return Ballot{TimeNs: floor, Tie: env.Rand.Uint64()<<8 | uint64(env.Self&0xff)}
}

// Less orders ballots lexicographically.
func (b Ballot) Less(c Ballot) bool {
	if b.TimeNs != c.TimeNs {
		return b.TimeNs < c.TimeNs
	}
	return b.Tie < c.Tie
}

// IsZero reports the "no ballot yet" value, below every drawn ballot.
func (b Ballot) IsZero() bool { return b == Ballot{} }

// Max returns the greater of b and c.
func Max(b, c Ballot) Ballot {
	if b.Less(c) {
		return c
	}
	return b
}

// String renders a ballot compactly for traces: its number and a short tie.
func (b Ballot) String() string {
	if b.IsZero() {
		return "0"
	}
	return fmt.Sprintf("%d.%03x", b.TimeNs, b.Tie>>52)
}
