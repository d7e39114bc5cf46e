package paxos

import (
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/register"
)

// Ballot orders proposals. As in Cassandra, a ballot is a (time, random)
// pair: the coordinator's clock reading, then a random tie-breaker that also
// carries the node id so two coordinators never pick the same ballot.
type Ballot = ballot.Ballot

// Value is the full state of one key as Paxos chooses it: the register and
// the window of recent outcomes (package register). Proposals carry whole
// Values, so whatever a proposal is built on travels with it.
type Value = register.Value

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
