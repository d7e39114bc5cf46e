package paxos

import (
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/register"
)

// The mixed-writes variant: a plain write bypasses Paxos, the way a
// Cassandra application mixes ordinary INSERTs with lightweight
// transactions on the same rows. The coordinator stamps the write with its
// clock and sends it to every replica; a replica takes it if the stamp is
// newer than its committed proposal's ballot (the cells' write timestamp);
// a quorum of acknowledgements answers the client. A Paxos cas that read
// the value before the write and commits after it, at a higher ballot,
// overwrites the write as if it had never happened.

type lwwWrite struct {
	Key     string
	Op      uint64
	Stamp   Ballot
	Token   protocol.Token
	Session protocol.Session
	Value   int64
}

type lwwAck struct {
	Key   string
	Op    uint64
	Stamp Ballot
}

func (lwwWrite) Kind() string { return "lww-write" }
func (lwwAck) Kind() string   { return "lww-ack" }

func (n *node) beginMixedWrite(env *protocol.Env, o *op) {
	o.ballot = ballot.New(env.NowNs, env)
	n.sendMixedWrite(env, o)
}

// sendMixedWrite sends (or, on a round timeout, sends again) the write.
func (n *node) sendMixedWrite(env *protocol.Env, o *op) {
	if env.NowNs > o.req.DeadlineNs {
		n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
		return
	}
	n.enter(env, o, phMixedWrite, n.quorum)
	n.broadcast(env, lwwWrite{Key: o.req.Op.Key, Op: o.id, Stamp: o.ballot, Token: o.req.Token, Session: o.req.Session(o.client), Value: o.req.Op.Value})
}

func (n *node) onLWWWrite(env *protocol.Env, from protocol.NodeID, m lwwWrite) {
	s := n.state(m.Key)
	if s.Committed.Ballot.Less(m.Stamp) {
		s.Committed = Proposal{Ballot: m.Stamp, Value: s.Committed.Value.With(m.Token, m.Session, register.Applied, true, m.Value)}
		n.save(env, m.Key, s)
	}
	env.Send(from, lwwAck{Key: m.Key, Op: m.Op, Stamp: m.Stamp})
}

func (n *node) onLWWAck(env *protocol.Env, from protocol.NodeID, m lwwAck) {
	o := n.current(m.Op, m.Stamp, phMixedWrite)
	if o == nil || !o.tally.First(from) || !o.tally.OK() {
		return
	}
	n.finish(env, o, protocol.Reply{Status: protocol.OK})
}
