package paxos

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

func encoded(n *node) []byte {
	var buf bytes.Buffer
	n.EncodeState(&buf)
	return buf.Bytes()
}

// A retired replica leaves the deference's refusals out of its encoding,
// and lets refused prepares only answer, exactly when no operation of its
// own can defer any more: while one is on its first attempt, a refusal
// decides whether a later grant to that rival is one to defer to.
func TestRetiredLeavesOutOnlyDeadRefusals(t *testing.T) {
	n := factory(options{})(protocol.Config{Self: 0, N: 3, RoundTripNs: 1_000_000}, mapStore{}).(*node)
	env := newEnv(0)
	n.OnRequest(env, 0, protocol.Request{ID: 1, Op: model.Input{Kind: model.Write, Key: "k", Value: 1},
		Token: protocol.Token{TimeNs: 1, Nonce: 1}, DeadlineNs: 1 << 62})
	var a *op
	for _, o := range n.ops {
		a = o
	}
	require.Equal(t, phPrepare, a.phase)
	n.OnMessage(env, 0, env.Sends[0].Msg) // its own acceptor promises a's ballot
	n.Retire()
	low := prepare{Key: "k", Op: 99, Ballot: Ballot{TimeNs: 0, Tie: 1<<8 | 1}} // below a's ballot: refused
	clone := func(m *node) *node { return m.CloneNode().(*node) }

	// Live: a is on its first attempt.
	require.False(t, n.AnswersOnly(1, low), "a refusal noted while an operation may still defer only answers")
	with, without := clone(n), clone(n)
	env.Reset()
	with.OnMessage(env, 1, low)
	require.NotEqual(t, encoded(with), encoded(without), "the refusal of n1 is left out while an operation may defer to n1")
	high := prepare{Key: "k", Op: 99, Ballot: Ballot{TimeNs: 5, Tie: 1<<8 | 1}}
	for _, m := range []*node{with, without} {
		env.Reset()
		m.OnMessage(env, 1, high)
	}
	s := with.state("k")
	_, _, deferW := with.deference.Rival(env, "k", s.Promised, s.Committed.Ballot, Ballot{}, 1<<40)
	_, _, deferWO := without.deference.Rival(env, "k", s.Promised, s.Committed.Ballot, Ballot{}, 1<<40)
	require.True(t, deferW && !deferWO, "the refusal decides whether a defers to n1's round (%v, %v)", deferW, deferWO)

	// Live: a repairs a proposal in progress, or brings a promiser up to
	// the newest commit: either way it prepares again on its first attempt.
	refusalShows := func(m *node) bool {
		with, without := clone(m), clone(m)
		env.Reset()
		with.OnMessage(env, 1, low)
		return !bytes.Equal(encoded(with), encoded(without))
	}
	old := Proposal{Ballot: Ballot{TimeNs: 0, Tie: 7<<8 | 2}, Value: Value{Has: true, V: 7}}
	repairing := clone(n)
	for _, from := range []protocol.NodeID{1, 2} {
		env.Reset()
		repairing.OnMessage(env, from, promise{Key: "k", Op: a.id, Ballot: a.ballot, OK: true, Promised: a.ballot, Accepted: old})
	}
	require.Equal(t, phRepairPropose, repairing.ops[a.id].phase)
	require.True(t, refusalShows(repairing), "repairing")
	for _, from := range []protocol.NodeID{1, 2} {
		env.Reset()
		repairing.OnMessage(env, from, accepted{Key: "k", Op: a.id, Ballot: a.ballot, OK: true, Promised: a.ballot})
	}
	require.Equal(t, phRepairCommit, repairing.ops[a.id].phase)
	require.True(t, refusalShows(repairing), "committing a repair")
	fixing := clone(n)
	for from, c := range map[protocol.NodeID]Proposal{1: old, 2: {}} {
		env.Reset()
		fixing.OnMessage(env, from, promise{Key: "k", Op: a.id, Ballot: a.ballot, OK: true, Promised: a.ballot, Accepted: c, Committed: c})
	}
	require.Equal(t, phFixCommit, fixing.ops[a.id].phase)
	require.True(t, refusalShows(fixing), "fixing a commit")

	// Dead: a, promised by a quorum, reads: it will propose its own value
	// or count an attempt before it can begin a round again.
	reading := clone(n)
	for _, from := range []protocol.NodeID{1, 2} {
		env.Reset()
		reading.OnMessage(env, from, promise{Key: "k", Op: a.id, Ballot: a.ballot, OK: true, Promised: a.ballot})
	}
	require.Equal(t, phRead, reading.ops[a.id].phase)
	require.Zero(t, reading.ops[a.id].Attempt)
	require.True(t, reading.AnswersOnly(1, low))
	with, without = clone(reading), clone(reading)
	env.Reset()
	with.OnMessage(env, 1, low)
	require.Equal(t, encoded(without), encoded(with), "a refusal no operation will read changed the encoding")

	// Dead: a, refused by a quorum, is past its first attempt.
	lost := clone(n)
	for _, from := range []protocol.NodeID{1, 2} {
		env.Reset()
		lost.OnMessage(env, from, promise{Key: "k", Op: a.id, Ballot: a.ballot, Promised: high.Ballot})
	}
	require.Positive(t, lost.ops[a.id].Attempt)
	require.True(t, lost.AnswersOnly(1, low))
	with, without = clone(lost), clone(lost)
	env.Reset()
	with.OnMessage(env, 1, low)
	require.Len(t, env.Sends, 1, "a refused prepare answers")
	require.Equal(t, encoded(without), encoded(with), "a refusal no operation will read changed the encoding")

	// Not retired, a request may still bring an operation that defers.
	lost.retired = false
	require.False(t, lost.AnswersOnly(1, low))
	with, without = clone(lost), clone(lost)
	with.OnMessage(env, 1, low)
	require.NotEqual(t, encoded(with), encoded(without))

	// Under volatile-promise a restart can lower the promise: never only
	// answers.
	lost.retired, lost.opts.volatilePromise = true, true
	require.False(t, lost.AnswersOnly(1, low))
}
