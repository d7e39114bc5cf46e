package lww

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/prototest"
)

type mapStore = prototest.MapStore

func newNode(t *testing.T, name string) (*node, *protocol.Env) {
	p, err := protocol.Lookup(name)
	require.NoError(t, err)
	cfg := protocol.Config{Self: 0, N: 3}
	return p.New(cfg, mapStore{}).(*node), &protocol.Env{Config: cfg, Rand: rand.New(rand.NewPCG(1, 2))}
}

func tok(t int64) protocol.Token { return protocol.Token{TimeNs: t, Nonce: 1} }

// The replica rule: the highest token wins; a copy of a write already
// seen changes nothing and is acknowledged.
func TestReplicaKeepsHighestToken(t *testing.T) {
	for _, tc := range []struct {
		name    string
		writes  []write
		want    int64
		persist int
	}{
		{"newer wins", []write{{Token: tok(1), Value: 1}, {Token: tok(2), Value: 2}}, 2, 2},
		{"older is a no-op", []write{{Token: tok(2), Value: 2}, {Token: tok(1), Value: 1}}, 2, 2},
		{"a retried copy is a no-op", []write{{Token: tok(2), Value: 2}, {Token: tok(2), Value: 2}}, 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(t, "lww")
			for _, w := range tc.writes {
				w.Key = "k"
				n.OnMessage(env, 1, w)
			}
			require.Equal(t, tc.want, n.cells["k"].V)
			require.Len(t, env.Persists, tc.persist)
			require.Len(t, env.Sends, len(tc.writes), "every copy is acknowledged")
		})
	}
}

// A resolving read learns whether a token reached the replica, even one
// that lost to a newer write.
func TestReplicaAnswersResolvingReads(t *testing.T) {
	n, env := newNode(t, "lww")
	n.OnMessage(env, 1, write{Key: "k", Token: tok(2), Value: 2})
	n.OnMessage(env, 1, write{Key: "k", Token: tok(1), Value: 1})
	env.Reset()
	for _, tc := range []struct {
		tok   protocol.Token
		found bool
	}{{tok(1), true}, {tok(2), true}, {tok(3), false}} {
		n.OnMessage(env, 1, read{Key: "k", Token: tc.tok})
		r := env.Sends[len(env.Sends)-1].Msg.(readResp)
		require.Equal(t, tc.found, r.Found)
		require.True(t, r.Known)
		require.Equal(t, int64(2), r.V)
	}
}

// A read answers after the read level's number of answers, and repairs
// disagreeing answers first; the read-one variant answers after one.
func TestReadLevelAndRepair(t *testing.T) {
	req := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40}
	for _, tc := range []struct {
		name  string
		proto string
		resps []readResp
		want  []string // what the coordinator does after the answers
	}{
		{"quorum waits for two", "lww", []readResp{{Token: tok(2), Has: true, V: 2}}, nil},
		{"read-one answers after one", "lww/read-one", []readResp{{Token: tok(2), Has: true, V: 2}}, []string{"reply"}},
		{"agreeing quorum answers", "lww", []readResp{{Token: tok(2), Has: true, V: 2}, {Token: tok(2), Has: true, V: 2}},
			[]string{"reply"}},
		{"disagreeing quorum repairs first", "lww", []readResp{{Token: tok(2), Has: true, V: 2}, {Token: tok(1), Has: true, V: 1}},
			[]string{"write", "write", "write"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(t, tc.proto)
			n.OnRequest(env, 0, req)
			var id uint64
			for k := range n.ops {
				id = k
			}
			env.Reset()
			for i, r := range tc.resps {
				r.Key, r.Op, r.Known = "k", id, true
				n.OnMessage(env, protocol.NodeID(i), r)
			}
			var got []string
			for _, s := range env.Sends {
				got = append(got, s.Msg.Kind())
			}
			for _, r := range env.Replies {
				got = append(got, "reply")
				require.Equal(t, int64(2), r.Reply.Value)
			}
			require.Equal(t, tc.want, got)
			if len(got) == 3 {
				require.Equal(t, tok(2), env.Sends[0].Msg.(write).Token, "the repair carries the newest token")
			}
		})
	}
}

// A coordinator refuses a write whose token is too far from its clock,
// with Unknown: the request may retry an attempt that applied.
func TestSkewBound(t *testing.T) {
	p, _ := protocol.Lookup("lww")
	cfg := protocol.Config{Self: 0, N: 3, Options: protocol.Options{"max-skew": "1ms"}}
	n := p.New(cfg, mapStore{}).(*node)
	env := &protocol.Env{Config: cfg, NowNs: 10_000_000, Rand: rand.New(rand.NewPCG(1, 2))}
	w := protocol.Request{ID: 1, Op: model.Input{Kind: model.Write, Key: "k", Value: 1}, DeadlineNs: 1 << 40}
	w.Token = tok(10_500_000)
	n.OnRequest(env, 0, w)
	require.Len(t, env.Sends, 3, "within the bound")
	env.Reset()
	w.Token = tok(8_000_000)
	n.OnRequest(env, 0, w)
	require.Empty(t, env.Sends)
	require.Equal(t, protocol.Unknown, env.Replies[0].Reply.Status)
}
