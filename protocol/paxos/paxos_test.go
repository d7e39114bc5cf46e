package paxos

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/protocol"
)

// mapStore is a durable store for tests.
type mapStore map[string]any

func (s mapStore) Get(k string) (any, bool) { v, ok := s[k]; return v, ok }
func (s mapStore) Keys() []string {
	var ks []string
	for k := range s {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func newEnv(self protocol.NodeID) *protocol.Env {
	return &protocol.Env{Config: protocol.Config{Self: self, N: 3}, Rand: rand.New(rand.NewPCG(1, 2))}
}

func b(t int64) Ballot { return Ballot{TimeNs: t} }

func TestAcceptorPromisesOnlyHigherBallots(t *testing.T) {
	n := factory(options{})(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
	env := newEnv(0)
	n.OnMessage(env, 1, prepare{Key: "k", Op: 1, Ballot: b(10)})
	require.Len(t, env.Persists, 1, "a promise is persisted before it is sent")
	require.True(t, env.Sends[0].Msg.(promise).OK)
	env.Reset()
	for _, lower := range []int64{10, 9} {
		n.OnMessage(env, 2, prepare{Key: "k", Op: 2, Ballot: b(lower)})
		p := env.Sends[0].Msg.(promise)
		require.False(t, p.OK, "ballot %d is not above the promise", lower)
		require.Equal(t, b(10), p.Promised)
		require.Empty(t, env.Persists)
		env.Reset()
	}
}

func TestAcceptRespectsPromiseUnlessVariant(t *testing.T) {
	for _, tc := range []struct {
		opts   options
		accept bool
	}{{options{}, false}, {options{acceptAnyBallot: true}, true}} {
		n := factory(tc.opts)(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
		env := newEnv(0)
		n.OnMessage(env, 1, prepare{Key: "k", Op: 1, Ballot: b(20)})
		env.Reset()
		n.OnMessage(env, 2, propose{Key: "k", Op: 2, Proposal: Proposal{Ballot: b(15), Value: Value{Has: true, V: 7}}})
		require.Equal(t, tc.accept, env.Sends[0].Msg.(accepted).OK)
		env.Reset()
		// At the promised ballot, both accept.
		n.OnMessage(env, 1, propose{Key: "k", Op: 1, Proposal: Proposal{Ballot: b(20), Value: Value{Has: true, V: 8}}})
		require.True(t, env.Sends[0].Msg.(accepted).OK)
	}
}

func TestRestartKeepsPersistedPromise(t *testing.T) {
	store := mapStore{}
	n := factory(options{})(protocol.Config{Self: 0, N: 3}, store).(*node)
	env := newEnv(0)
	n.OnMessage(env, 1, prepare{Key: "k", Op: 1, Ballot: b(10)})
	for _, p := range env.Persists {
		store[p.Key] = p.Value
	}
	restarted := factory(options{})(protocol.Config{Self: 0, N: 3}, store).(*node)
	env = newEnv(0)
	restarted.OnMessage(env, 2, prepare{Key: "k", Op: 2, Ballot: b(5)})
	require.False(t, env.Sends[0].Msg.(promise).OK, "the restarted acceptor forgot its promise")
}

func TestOutcomeWindow(t *testing.T) {
	var v Value
	tok := func(i int) protocol.Token { return protocol.Token{TimeNs: int64(100 + i), Nonce: uint64(i)} }
	for i := range outcomeWindow + 5 {
		v = v.with(Outcome{Token: tok(i), Applied: i%2 == 0}, true, int64(i))
	}
	require.Len(t, v.Outcomes, outcomeWindow)
	// The oldest five were evicted: their outcome is unknown, not "absent".
	_, found, known := v.lookup(tok(4))
	require.False(t, found)
	require.False(t, known)
	o, found, known := v.lookup(tok(6))
	require.True(t, found && known && o.Applied)
	o, found, _ = v.lookup(tok(7))
	require.True(t, found)
	require.False(t, o.Applied, "a compare-failed outcome is kept too")
	// A token newer than every eviction and not in the window never ran.
	_, found, known = v.lookup(protocol.Token{TimeNs: 1000, Nonce: 1})
	require.False(t, found)
	require.True(t, known)
}

// with must not write into a slice that an older Value shares.
func TestOutcomeWindowCopiesOnWrite(t *testing.T) {
	var v Value
	for i := range 3 {
		v = v.with(Outcome{Token: protocol.Token{TimeNs: int64(i)}}, false, 0)
	}
	a := v.with(Outcome{Token: protocol.Token{TimeNs: 10}}, false, 0)
	c := v.with(Outcome{Token: protocol.Token{TimeNs: 20}}, false, 0)
	require.Equal(t, int64(10), a.Outcomes[3].Token.TimeNs)
	require.Equal(t, int64(20), c.Outcomes[3].Token.TimeNs)
	require.Len(t, v.Outcomes, 3)
}

// A replica that accepted a higher ballot without seeing its prepare must
// not accept a lower ballot over it, even one at its promise.
func TestAcceptRaisesPromise(t *testing.T) {
	n := factory(options{})(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
	env := newEnv(0)
	n.OnMessage(env, 0, prepare{Key: "k", Op: 1, Ballot: b(10)})
	n.OnMessage(env, 1, propose{Key: "k", Op: 2, Proposal: Proposal{Ballot: b(20), Value: Value{Has: true, V: 48}}})
	env.Reset()
	n.OnMessage(env, 0, propose{Key: "k", Op: 1, Proposal: Proposal{Ballot: b(10), Value: Value{Has: true, V: 40}}})
	require.False(t, env.Sends[0].Msg.(accepted).OK)
	require.Equal(t, int64(48), n.keys["k"].Accepted.Value.V)
}
