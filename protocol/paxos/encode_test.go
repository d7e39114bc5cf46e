package paxos

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/quorum"
	"github.com/casimlab/casim/protocol/internal/register"
	"github.com/casimlab/casim/protocol/internal/rtt"
	"github.com/casimlab/casim/protocol/internal/window"
)

// EncodeState and the messages' encoders write what a replica and a
// message hold field by field (encode.go), and CloneNode copies it
// (clone.go). A field added to one of these types without a decision
// there would be left out of the state casim explore hashes, and states
// that differ in it merged: this test lists every field, and fails until
// the new one is handled and added here.
func TestEncodeStateCoversFields(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fields []string
	}{
		{node{}, []string{"cfg", "opts", "keys", "ops", "lastBallot", "rounds", "lanes", "groupCommit", "deference", "group", "quorum", "retired"}},
		{op{}, []string{"id", "client", "req", "ticket", "began", "askedHold", "phase", "ballot", "Round", "deferredTo", "tally", "highestPromise", "heldSeen", "inProgress", "newest",
			"promisedBefore", "commitOf", "promisers", "proposal", "reply", "riders"}},
		{acceptorState{}, []string{"Promised", "Accepted", "Committed"}},
		{Proposal{}, []string{"Ballot", "Value"}},
		{register.Value{}, []string{"Has", "V", "Outcomes"}},
		{window.Window[register.Outcome]{}, []string{"Entries", "Evicted"}},
		{window.Entry[register.Outcome]{}, []string{"Token", "Session", "Data"}},
		{window.Mark{}, []string{"Session", "TimeNs"}},
		{protocol.Session{}, []string{"Client", "Stream"}},
		{protocol.Request{}, []string{"ID", "Op", "Token", "TimeoutNs", "DeadlineNs", "Resolve", "Stream", "WaitedNs"}},
		{rtt.Round{}, []string{"Attempt", "TimerSeq", "startNs", "timed", "timeoutNs", "extended"}},
		{rtt.Estimator{}, []string{"srttNs", "rttvarNs", "hintNs", "timeouts"}},
		{rtt.Lanes{}, []string{"busy", "waiting"}},
		{rtt.Deference{}, []string{"granted", "waiting", "refused", "held"}},
		{quorum.Tally{}, []string{"seen", "OKs", "Nacks", "Need"}},
		{prepare{}, []string{"Key", "Op", "Ballot", "Ticket", "RoundNs"}},
		{promise{}, []string{"Key", "Op", "Ballot", "OK", "Promised", "Held", "Before", "Accepted", "Committed"}},
		{readReq{}, []string{"Key", "Op", "Ballot"}},
		{readResp{}, []string{"Key", "Op", "Ballot", "Committed"}},
		{propose{}, []string{"Key", "Op", "Proposal"}},
		{accepted{}, []string{"Key", "Op", "Ballot", "OK", "Promised"}},
		{commit{}, []string{"Key", "Op", "Proposal"}},
		{committed{}, []string{"Key", "Op", "Ballot"}},
	} {
		typ := reflect.TypeOf(tc.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !reflect.DeepEqual(got, tc.fields) {
			t.Errorf("%s has fields %v; encode.go and clone.go handle %v: encode (or leave out, saying why) and copy the new ones, then list them here",
				typ, got, tc.fields)
		}
	}
}

// A promise's Before, and the op's promisedBefore it feeds, are read by
// paxos2's quiet reads alone (decide): paxos leaves them out of its
// encodings (EncodeMessage, encodeBefore) and paxos2 keeps them. Two
// reads whose promises differ only there encode alike in paxos, and
// behave alike to the end; in paxos2 they encode apart, and one answers
// at once where the other proposes.
func TestBeforeIsReadByPaxos2Only(t *testing.T) {
	read := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40}
	committed := Proposal{Ballot: b(5), Value: Value{Has: true, V: 3}}
	for _, v2 := range []bool{false, true} {
		nodes, envs := [2]*node{}, [2]*protocol.Env{}
		msgs := [2][]byte{}
		for i, before := range []Ballot{b(5), b(9)} {
			n := factory(options{v2: v2})(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
			env := newEnv(0)
			n.OnRequest(env, 0, read)
			o := soleOp(n)
			env.Reset()
			p := promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Before: before, Accepted: committed, Committed: committed}
			var buf bytes.Buffer
			if !n.EncodeMessage(p, &buf) {
				p.EncodeState(&buf)
			}
			msgs[i] = buf.Bytes()
			n.OnMessage(env, 1, p)
			nodes[i], envs[i] = n, env
		}
		if !v2 {
			require.Equal(t, msgs[0], msgs[1], "paxos: promises differing in Before encode apart")
			require.Equal(t, encoded(nodes[0]), encoded(nodes[1]), "paxos: promisedBefore is encoded")
		} else {
			require.NotEqual(t, msgs[0], msgs[1], "paxos2: a promise's Before is left out")
			require.NotEqual(t, encoded(nodes[0]), encoded(nodes[1]), "paxos2: promisedBefore is left out")
		}
		var ks [2][]string
		for i, n := range nodes {
			o := soleOp(n)
			envs[i].Reset()
			n.OnMessage(envs[i], 2, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Before: b(5), Accepted: committed, Committed: committed})
			ks[i] = kinds(envs[i])
			if o.phase == phRead {
				for from := range protocol.NodeID(2) {
					n.OnMessage(envs[i], from, readResp{Key: "k", Op: o.id, Ballot: o.ballot, Committed: committed})
				}
				ks[i] = kinds(envs[i])
			}
		}
		if !v2 {
			require.Equal(t, ks[0], ks[1], "paxos: a promise's Before changed what the read did")
			require.Equal(t, encoded(nodes[0]), encoded(nodes[1]))
		} else {
			require.NotEqual(t, ks[0], ks[1], "paxos2: the quiet read did not read Before")
		}
	}
}

// A committing operation (phCommit) never begins a round again: its
// encoding leaves out what only begin and the round's learning read
// (but the ticket, by which finish releases its hold).
// Two committing operations that differ only there encode alike and do
// alike on every answer and on their timer. The same fields scrambled in
// a repair's commit (phRepairCommit), which begins again, change what
// it sends: the check below would catch a rule that left them out there.
func TestCommittingLeavesOutWhatBeginReads(t *testing.T) {
	cfg := protocol.Config{Self: 0, N: 3, RoundTripNs: 1_000_000}
	write := protocol.Request{ID: 1, Op: model.Input{Kind: model.Write, Key: "k", Value: 7},
		Token: protocol.Token{TimeNs: 1, Nonce: 1}, DeadlineNs: 1 << 40}
	only := func(n *node) *op {
		for _, o := range n.ops {
			return o
		}
		return nil
	}
	// toCommit runs write to its commit phase: the repair's, if the
	// promises show a proposal in progress.
	toCommit := func(repair bool) *node {
		n := factory(options{})(cfg, mapStore{}).(*node)
		env := newEnv(0)
		n.OnRequest(env, 0, write)
		o := only(n)
		var inProgress Proposal
		if repair {
			inProgress = Proposal{Ballot: Ballot{TimeNs: 0, Tie: 5}, Value: Value{Has: true, V: 4}}
		}
		for from := range protocol.NodeID(2) {
			n.OnMessage(env, from, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Accepted: inProgress})
		}
		if !repair {
			for from := range protocol.NodeID(2) {
				n.OnMessage(env, from, readResp{Key: "k", Op: o.id, Ballot: o.ballot})
			}
		}
		for from := range protocol.NodeID(2) {
			n.OnMessage(env, from, accepted{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Promised: o.ballot})
		}
		// Its own acceptor holds the key for it at a higher ballot (as
		// for a rival's prepare it refused): finish releases the hold.
		n.deference.Hold(env, "k", Ballot{TimeNs: 60, Tie: 2}, o.ticket, 1_000_000, 4)
		return n
	}
	scramble := func(o *op) {
		o.began, o.Attempt = !o.began, o.Attempt+2
		o.highestPromise, o.deferredTo = Ballot{TimeNs: 50, Tie: 9}, Ballot{TimeNs: 45, Tie: 1}
	}
	// run feeds both nodes the same inputs and reports whether they sent,
	// replied and encoded alike throughout.
	run := func(a, b *node, inputs []func(n *node, env *protocol.Env)) bool {
		for _, in := range inputs {
			ea, eb := newEnv(0), newEnv(0)
			in(a, ea)
			in(b, eb)
			if fmt.Sprint(ea.Sends, ea.Replies, ea.Timers) != fmt.Sprint(eb.Sends, eb.Replies, eb.Timers) ||
				!bytes.Equal(encoded(a), encoded(b)) {
				return false
			}
		}
		return true
	}
	ack := func(from protocol.NodeID) func(*node, *protocol.Env) {
		return func(n *node, env *protocol.Env) {
			o := only(n)
			n.OnMessage(env, from, committed{Key: "k", Op: o.id, Ballot: o.ballot})
		}
	}
	timer := func(n *node, env *protocol.Env) {
		o := only(n)
		n.OnTimer(env, protocol.Timer{Key: "k", ID: o.id, Seq: o.TimerSeq})
	}
	for _, inputs := range [][]func(*node, *protocol.Env){{ack(2), ack(0)}, {ack(1), timer}, {timer}} {
		a := toCommit(false)
		require.Equal(t, phCommit, only(a).phase)
		b := a.CloneNode().(*node)
		scramble(only(b))
		require.Equal(t, encoded(a), encoded(b), "a committing operation encodes what begin reads")
		require.True(t, run(a, b, inputs), "what a committing operation's encoding leaves out was read")
	}
	// The ticket is read: finish releases the operation's hold by it.
	a := toCommit(false)
	b := a.CloneNode().(*node)
	only(b).ticket = Ballot{TimeNs: 40, Tie: 3}
	require.NotEqual(t, encoded(a), encoded(b), "a committing operation leaves out its ticket")
	require.False(t, run(a, b, []func(*node, *protocol.Env){ack(2), ack(0)}))
	// The timer's sequence number is read: a stale timer does nothing.
	a = toCommit(false)
	b = a.CloneNode().(*node)
	only(b).TimerSeq++
	require.NotEqual(t, encoded(a), encoded(b), "a committing operation leaves out its timer's sequence number")
	seq := only(a).TimerSeq
	fire := func(n *node, env *protocol.Env) { n.OnTimer(env, protocol.Timer{Key: "k", ID: only(n).id, Seq: seq}) }
	require.False(t, run(a, b, []func(*node, *protocol.Env){fire}))
	a = toCommit(true)
	require.Equal(t, phRepairCommit, only(a).phase)
	b = a.CloneNode().(*node)
	scramble(only(b))
	require.NotEqual(t, encoded(a), encoded(b))
	require.False(t, run(a, b, []func(*node, *protocol.Env){ack(2), ack(0)}), "a repair's commit begins again: begin reads these")
}

// Eager (for casim explore) holds only for an acknowledgement of a
// chosen proposal's commit, not counted yet, at a retired replica whose
// only operation it is, that never asked for a hold.
func TestEagerOnlyForChosenCommitAcks(t *testing.T) {
	cfg := protocol.Config{Self: 0, N: 3, RoundTripNs: 1_000_000}
	write := protocol.Request{ID: 1, Op: model.Input{Kind: model.Write, Key: "k", Value: 7},
		Token: protocol.Token{TimeNs: 1, Nonce: 1}, DeadlineNs: 1 << 40}
	n := factory(options{})(cfg, mapStore{}).(*node)
	env := newEnv(0)
	n.OnRequest(env, 0, write)
	o := soleOp(n)
	for from := range protocol.NodeID(2) {
		n.OnMessage(env, from, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true})
	}
	require.False(t, n.Eager(0, readResp{Key: "k", Op: o.id, Ballot: o.ballot}), "a read answer is not eager")
	for from := range protocol.NodeID(2) {
		n.OnMessage(env, from, readResp{Key: "k", Op: o.id, Ballot: o.ballot})
	}
	for from := range protocol.NodeID(2) {
		n.OnMessage(env, from, accepted{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Promised: o.ballot})
	}
	require.Equal(t, phCommit, o.phase)
	ack := committed{Key: "k", Op: o.id, Ballot: o.ballot}
	require.False(t, n.Eager(2, ack), "not retired: a request may still queue behind the operation")
	n.Retire()
	require.True(t, n.Eager(2, ack))
	require.False(t, n.Eager(2, committed{Key: "k", Op: o.id, Ballot: Ballot{TimeNs: o.ballot.TimeNs + 1}}), "another round's")
	n.OnMessage(env, 2, ack)
	require.False(t, n.Eager(2, ack), "counted already")
	require.True(t, n.Eager(1, committed{Key: "k", Op: o.id, Ballot: o.ballot}))
	o.askedHold = true
	require.False(t, n.Eager(1, committed{Key: "k", Op: o.id, Ballot: o.ballot}), "a hold may carry its ticket: finish releases it")
	o.askedHold = false
	n.ops[o.id+1] = &op{id: o.id + 1, phase: phQueued}
	require.False(t, n.Eager(1, committed{Key: "k", Op: o.id, Ballot: o.ballot}), "another operation: the lane hands the key on")
}

// An operation refused by ballots prepares again at once and asks for a
// hold (RoundNs > 0): askedHold records it, where its first prepare did
// not.
func TestAskedHoldFollowsThePrepares(t *testing.T) {
	cfg := protocol.Config{Self: 0, N: 3, RoundTripNs: 1_000_000}
	n := factory(options{})(cfg, mapStore{}).(*node)
	env := newEnv(0)
	n.OnRequest(env, 0, protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40})
	o := soleOp(n)
	require.Zero(t, env.Sends[0].Msg.(prepare).RoundNs)
	require.False(t, o.askedHold)
	b := o.ballot
	for from := protocol.NodeID(1); from < 3; from++ {
		n.OnMessage(env, from, promise{Key: "k", Op: o.id, Ballot: b, Promised: Ballot{TimeNs: b.TimeNs + 5}})
	}
	last := env.Sends[len(env.Sends)-1].Msg.(prepare)
	require.Positive(t, last.RoundNs)
	require.True(t, o.askedHold)
}
