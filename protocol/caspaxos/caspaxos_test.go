package caspaxos

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/prototest"
	"github.com/casimlab/casim/protocol/internal/register"
)

type mapStore = prototest.MapStore

func newNode(opts options, o protocol.Options) (*node, *protocol.Env) {
	cfg := protocol.Config{Self: 0, N: 3, Options: o}
	return factory(opts)(cfg, mapStore{}).(*node), &protocol.Env{Config: cfg, Rand: rand.New(rand.NewPCG(1, 2))}
}

func b(n int64) Ballot { return Ballot{TimeNs: n} }

func val(v int64) Value { return Value{Has: true, V: v} }

// The acceptor rules, one input sequence per case; the last message's
// answer and the state after it are checked.
func TestAcceptorRules(t *testing.T) {
	for _, tc := range []struct {
		name     string
		msgs     []protocol.Message
		ok       bool
		promised Ballot
		accepted int64
	}{
		{"prepare above the promise", []protocol.Message{prepare{Ballot: b(5)}}, true, b(5), 0},
		{"a repeated prepare is promised again", []protocol.Message{prepare{Ballot: b(5)}, prepare{Ballot: b(5)}}, true, b(5), 0},
		{"prepare below the promise", []protocol.Message{prepare{Ballot: b(5)}, prepare{Ballot: b(4)}}, false, b(5), 0},
		{"accept below the promise", []protocol.Message{prepare{Ballot: b(5)},
			accept{Proposal: Proposal{b(4), val(1)}}}, false, b(5), 0},
		{"accept at the promise", []protocol.Message{prepare{Ballot: b(5)},
			accept{Proposal: Proposal{b(5), val(1)}}}, true, b(5), 1},
		{"accept raises the promise", []protocol.Message{prepare{Ballot: b(5)},
			accept{Proposal: Proposal{b(7), val(2)}}, accept{Proposal: Proposal{b(6), val(1)}}}, false, b(7), 2},
		{"accept promises the piggybacked ballot", []protocol.Message{
			accept{Proposal: Proposal{b(7), val(2)}, Next: b(8)}, prepare{Ballot: b(8)}}, true, b(8), 2},
		{"the piggybacked promise holds", []protocol.Message{
			accept{Proposal: Proposal{b(7), val(2)}, Next: b(9)}, prepare{Ballot: b(8)}}, false, b(9), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(options{}, nil)
			for _, m := range tc.msgs {
				switch x := m.(type) {
				case prepare:
					x.Key = "k"
					m = x
				case accept:
					x.Key = "k"
					m = x
				}
				n.OnMessage(env, 1, m)
			}
			switch r := env.Sends[len(env.Sends)-1].Msg.(type) {
			case promise:
				require.Equal(t, tc.ok, r.OK)
			case accepted:
				require.Equal(t, tc.ok, r.OK)
			}
			require.Equal(t, tc.promised, n.keys["k"].Promised)
			require.Equal(t, tc.accepted, n.keys["k"].Accepted.Value.V)
		})
	}
}

// startOp sends req to n and returns the op.
func startOp(n *node, env *protocol.Env, req protocol.Request) *op {
	n.OnRequest(env, 0, req)
	for _, o := range n.ops {
		if o.req.ID == req.ID {
			return o
		}
	}
	return nil
}

func kinds(env *protocol.Env) []string {
	var ks []string
	for _, s := range env.Sends {
		ks = append(ks, s.Msg.Kind())
	}
	return ks
}

// A proposer waits for F+1 promises; the minority-quorum variant for F.
func TestQuorumSize(t *testing.T) {
	req := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40}
	for _, tc := range []struct {
		opts options
		want []string
	}{{options{}, nil}, {options{minorityQuorum: true}, []string{"accept", "accept", "accept"}}} {
		n, env := newNode(tc.opts, nil)
		o := startOp(n, env, req)
		env.Reset()
		n.OnMessage(env, 1, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true})
		require.Equal(t, tc.want, kinds(env), "after one promise of three, %+v", tc.opts)
	}
}

// The value accepted is f of the highest-ballot accepted value among the
// promises, and a retried operation found in its outcomes is not applied
// again.
func TestChangeFunctionOnLatestValue(t *testing.T) {
	tok := protocol.Token{TimeNs: 9, Nonce: 9}
	cas := protocol.Request{ID: 1, Token: tok, Op: model.Input{Kind: model.Cas, Key: "k", Expected: 2, Value: 3}, DeadlineNs: 1 << 40}
	done := val(3).With(tok, protocol.Session{}, register.Applied, true, 3)
	for _, tc := range []struct {
		name        string
		accepted    [2]Proposal
		want        int64
		outcomes    int
		replyStatus protocol.Status
	}{
		{"cas on the latest", [2]Proposal{{b(1), val(1)}, {b(2), val(2)}}, 3, 1, protocol.OK},
		{"cas fails on the latest", [2]Proposal{{b(2), val(1)}, {b(1), val(2)}}, 1, 1, protocol.CompareFailed},
		{"a repeat is the identity", [2]Proposal{{b(2), done}, {b(1), val(2)}}, 3, 1, protocol.OK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(options{}, nil)
			o := startOp(n, env, cas)
			env.Reset()
			for i, p := range tc.accepted {
				n.OnMessage(env, protocol.NodeID(i), promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Accepted: p})
			}
			a := env.Sends[0].Msg.(accept)
			require.Equal(t, tc.want, a.Proposal.Value.V)
			require.Equal(t, tc.outcomes, a.Proposal.Value.Outcomes.Len())
			require.Equal(t, tc.replyStatus, o.reply.Status)
		})
	}
}

// With one-round-trip, a proposer whose accept was also promised as the
// next ballot by a quorum serves its next operation on the key with an
// accept alone.
func TestOneRoundTrip(t *testing.T) {
	for _, mode := range []string{"off", "on"} {
		n, env := newNode(options{}, protocol.Options{"one-round-trip": mode})
		read := func(id uint64) *op {
			return startOp(n, env, protocol.Request{ID: id, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40})
		}
		o := read(1)
		for from := range protocol.NodeID(3) {
			n.OnMessage(env, from, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true})
		}
		env.Reset()
		for from := range protocol.NodeID(3) {
			n.OnMessage(env, from, accepted{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, NextOK: mode == "on"})
		}
		require.Len(t, env.Replies, 1)
		env.Reset()
		read(2)
		want := "prepare"
		if mode == "on" {
			want = "accept"
		}
		require.Equal(t, want, kinds(env)[0], "one-round-trip=%s", mode)
	}
}

// A proposer prepares above the promise its own acceptor holds: a ballot
// from the highest it had seen in refusals, long ago, was refused by
// every acceptor a busier proposer had moved on, its own first (issue
// 11: sixteen clients on one key at 100ms one-way, seed 25: a cas
// waited out both its 39s attempts at proposers that lost every prepare,
// and was resolved as not applied).
func TestPrepareAboveOwnPromise(t *testing.T) {
	n, env := newNode(options{}, nil)
	n.OnMessage(env, 1, prepare{Key: "k", Op: 9, Ballot: b(40)}) // a rival's ballot
	env.Reset()
	n.OnRequest(env, 0, protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40})
	p := env.Sends[0].Msg.(prepare)
	require.True(t, b(40).Less(p.Ballot), "prepared %v below its own acceptor's promise of 40", p.Ballot)
	env.Reset()
	n.OnMessage(env, 0, p)
	require.True(t, env.Sends[0].Msg.(promise).OK, "its own acceptor refused it")
}
