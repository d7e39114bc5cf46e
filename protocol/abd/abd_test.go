package abd

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/prototest"
)

type mapStore = prototest.MapStore

func newNode(opts options) (*node, *protocol.Env) {
	cfg := protocol.Config{Self: 0, N: 3}
	return factory(opts)(cfg, mapStore{}).(*node), &protocol.Env{Config: cfg, Rand: rand.New(rand.NewPCG(1, 2))}
}

var tok = protocol.Token{TimeNs: 5, Nonce: 5}

// The replica's claim rules: what a write's query is told, after the
// messages before it.
func TestClaimRules(t *testing.T) {
	q := func(op uint64) query { return query{Key: "k", Op: op, Claim: true, Token: tok} }
	newer := func(n int) []protocol.Message {
		var ms []protocol.Message
		for i := range n {
			t := protocol.Token{TimeNs: tok.TimeNs + 1 + int64(i), Nonce: uint64(i)}
			ms = append(ms, query{Key: "k", Op: uint64(100 + i), Claim: true, Token: t})
		}
		return ms
	}
	for _, tc := range []struct {
		name   string
		before []protocol.Message
		ask    query
		want   claimState
	}{
		{"a free token is claimed", nil, q(1), mine},
		{"the claim holds for its operation", []protocol.Message{q(1)}, q(1), mine},
		{"another operation is refused", []protocol.Message{q(1)}, q(2), foreign},
		{"a released claim is free for another", []protocol.Message{q(1), release{Key: "k", Op: 1, Token: tok}}, q(2), mine},
		{"but not for the releaser's late copy", []protocol.Message{q(1), release{Key: "k", Op: 1, Token: tok}}, q(1), foreign},
		// Seed 3296 of the default sweep: the release overtook its own
		// query, which then claimed the token for an operation that had
		// already given up, and every later attempt was refused.
		{"a release that overtook its query", []protocol.Message{release{Key: "k", Op: 1, Token: tok}}, q(1), foreign},
		{"and leaves the token free for another", []protocol.Message{release{Key: "k", Op: 1, Token: tok}}, q(2), mine},
		{"a release while another holds the claim", []protocol.Message{q(2), release{Key: "k", Op: 1, Token: tok},
			release{Key: "k", Op: 2, Token: tok}}, q(1), foreign},
		{"a late copy after another claimed and released", []protocol.Message{q(1), release{Key: "k", Op: 1, Token: tok},
			q(2), release{Key: "k", Op: 2, Token: tok}}, q(1), foreign},
		{"a third operation still claims it", []protocol.Message{q(1), release{Key: "k", Op: 1, Token: tok},
			q(2), release{Key: "k", Op: 2, Token: tok}}, q(3), mine},
		// The write was stored here by another attempt while op 1 held
		// the claim; op 1's release must not drop the stored tag.
		{"a late release keeps a stored write", []protocol.Message{q(1),
			store{Key: "k", Op: 3, Tag: Tag{TimeNs: 3}, Token: tok, Value: 9}, release{Key: "k", Op: 1, Token: tok}}, q(2), stored},
		{"a stored write is reported with its tag", []protocol.Message{q(1),
			store{Key: "k", Op: 1, Tag: Tag{TimeNs: 3}, Token: tok, Value: 9}}, q(2), stored},
		// The token fell out of the window (eight newer tokens of its
		// client): a late release must not bring it back as free.
		{"a release of an evicted token leaves it unknown", append(append([]protocol.Message{q(1)}, newer(8)...),
			release{Key: "k", Op: 1, Token: tok}), q(2), unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(options{})
			for _, m := range tc.before {
				n.OnMessage(env, 1, m)
			}
			env.Reset()
			n.OnMessage(env, 1, tc.ask)
			require.Equal(t, tc.want, env.Sends[0].Msg.(queryResp).Claim)
		})
	}
}

// A replica keeps the higher tag.
func TestStoreKeepsHigherTag(t *testing.T) {
	n, env := newNode(options{})
	n.OnMessage(env, 1, store{Key: "k", Tag: Tag{TimeNs: 2}, Value: 2})
	n.OnMessage(env, 1, store{Key: "k", Tag: Tag{TimeNs: 1}, Value: 1, Token: protocol.Token{TimeNs: 1}})
	require.Equal(t, int64(2), n.cells["k"].V)
	require.Len(t, env.Sends, 2, "both acknowledged")
}

// What a coordinator does once a majority answered its query: a read
// writes the highest value back (not in the variant); a write stores a new
// tag above the highest, finishes an earlier attempt's tag, or gives up
// when another operation holds its token.
func TestCoordinatorAfterQuery(t *testing.T) {
	read := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40}
	write := protocol.Request{ID: 2, Token: tok, Op: model.Input{Kind: model.Write, Key: "k", Value: 7}, DeadlineNs: 1 << 40}
	newer := queryResp{Tag: Tag{TimeNs: 4}, Has: true, V: 4}
	older := queryResp{Tag: Tag{TimeNs: 3}, Has: true, V: 3}
	with := func(r queryResp, c claimState, st Tag) queryResp { r.Claim, r.StoredTag = c, st; return r }
	for _, tc := range []struct {
		name    string
		opts    options
		req     protocol.Request
		resps   []queryResp
		want    string // "store@T" or "reply"
		wantTag int64
	}{
		{"read writes back", options{}, read, []queryResp{newer, older}, "store", 4},
		{"no-write-back variant returns at once", options{noWriteBack: true}, read, []queryResp{newer, older}, "reply", 0},
		{"write stores above the highest", options{}, write, []queryResp{newer, older}, "store", 5},
		{"write finishes a stored attempt", options{}, write, []queryResp{with(newer, stored, Tag{TimeNs: 2}), older}, "store", 2},
		{"write gives up on a foreign claim", options{}, write, []queryResp{with(newer, foreign, Tag{}), older}, "release", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(tc.opts)
			n.OnRequest(env, 0, tc.req)
			var id uint64
			for k := range n.ops {
				id = k
			}
			env.Reset()
			for i, r := range tc.resps {
				r.Key, r.Op = "k", id
				n.OnMessage(env, protocol.NodeID(i), r)
			}
			if tc.want == "reply" {
				require.Empty(t, env.Sends)
				require.Equal(t, int64(4), env.Replies[0].Reply.Value)
				return
			}
			require.Equal(t, tc.want, env.Sends[0].Msg.Kind())
			if s, ok := env.Sends[0].Msg.(store); ok {
				require.Equal(t, tc.wantTag, s.Tag.TimeNs)
			}
		})
	}
}

// An operation past its deadline gives up: it answers Unknown and starts
// nothing more, and only a write still in its query phase (which has
// stored nothing) releases its claims. A write that releases after it
// may have stored somewhere would let a later attempt claim the token
// there and store the write a second time; one that went on to store
// after releasing would do the same. (Survivors of casim mutate at 200
// seeds: the default sweep rarely has a deadline fall between a write's
// phases.)
func TestGiveUpAtTheDeadline(t *testing.T) {
	kinds := func(env *protocol.Env) []string {
		var ks []string
		for _, s := range env.Sends {
			ks = append(ks, s.Msg.Kind())
		}
		return ks
	}
	resps := func(n *node, env *protocol.Env, id uint64) {
		for i := range 2 {
			n.OnMessage(env, protocol.NodeID(i), queryResp{Key: "k", Op: id, Tag: Tag{TimeNs: 3}, Has: true, V: 3})
		}
	}
	for _, tc := range []struct {
		name string
		kind model.Kind
		// atStore: the deadline passes once the store phase has begun
		// (its timer fires), not when the query phase ends.
		atStore bool
		want    []string
	}{
		{"a write past its deadline after its query releases and stores nothing", model.Write, false, []string{"release", "release", "release"}},
		{"a write past its deadline in its store phase releases nothing", model.Write, true, nil},
		{"a read past its deadline releases nothing", model.Read, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, env := newNode(options{})
			req := protocol.Request{ID: 1, Token: tok, Op: model.Input{Kind: tc.kind, Key: "k", Value: 7}, DeadlineNs: 100}
			n.OnRequest(env, 0, req)
			var o *op
			for _, x := range n.ops {
				o = x
			}
			env.Reset()
			if tc.atStore {
				resps(n, env, o.id)
				require.Equal(t, []string{"store", "store", "store"}, kinds(env))
				env.Reset()
				env.NowNs = 200
				n.OnTimer(env, protocol.Timer{Key: "k", ID: o.id, Seq: o.timerSeq})
			} else {
				env.NowNs = 200
				resps(n, env, o.id)
			}
			require.Equal(t, tc.want, kinds(env))
			require.Len(t, env.Replies, 1)
			require.Equal(t, protocol.Unknown, env.Replies[0].Reply.Status)
			require.Empty(t, n.ops, "nothing left running")
		})
	}
}

// A store phase counts each replica's acknowledgement once: a duplicated
// acknowledgement must not make a majority of one replica (a survivor of
// casim mutate at 200 seeds).
func TestStoreCountsEachReplicaOnce(t *testing.T) {
	n, env := newNode(options{})
	n.OnRequest(env, 0, protocol.Request{ID: 2, Token: tok, Op: model.Input{Kind: model.Write, Key: "k", Value: 7}, DeadlineNs: 1 << 40})
	var id uint64
	for k := range n.ops {
		id = k
	}
	for i := range 2 {
		n.OnMessage(env, protocol.NodeID(i), queryResp{Key: "k", Op: id})
	}
	env.Reset()
	n.OnMessage(env, 1, storeAck{Key: "k", Op: id})
	n.OnMessage(env, 1, storeAck{Key: "k", Op: id})
	require.Empty(t, env.Replies, "one replica, acknowledged twice")
	n.OnMessage(env, 2, storeAck{Key: "k", Op: id})
	require.Len(t, env.Replies, 1)
	require.Equal(t, protocol.OK, env.Replies[0].Reply.Status)
}
