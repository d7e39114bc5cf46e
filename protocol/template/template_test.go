package template

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/prototest"
	"github.com/casimlab/casim/sim"
)

// Unit tests drive one replica's handlers with prototest's Env and store
// and assert on the effects it wrote: one test per rule.

func write(id uint64, v int64) protocol.Request {
	return protocol.Request{ID: id, Op: model.Input{Kind: model.Write, Key: "x", Value: v},
		Token: protocol.Token{TimeNs: 1, Nonce: id}, TimeoutNs: 1000, DeadlineNs: 1000}
}

// The owner persists a change and replies; a retried copy (same token) is
// answered from the window, not applied twice.
func TestOwnerPersistsAndAnswersRetriesFromTheWindow(t *testing.T) {
	env := prototest.Env(nil)
	store := prototest.MapStore{}
	n := factory(env.Config, store)
	n.OnRequest(env, 1, write(1, 5))
	require.Len(t, env.Persists, 1)
	require.Equal(t, protocol.Reply{ID: 1, Token: write(1, 5).Token, Status: protocol.OK}, env.Replies[0].Reply)

	store[env.Persists[0].Key] = env.Persists[0].Value
	env.Reset()
	again := write(2, 5)
	again.Token = write(1, 5).Token
	factory(env.Config, store).OnRequest(env, 1, again) // after a restart, too
	require.Empty(t, env.Persists, "a retry changes nothing")
	require.Equal(t, protocol.OK, env.Replies[0].Reply.Status)
}

// A replica that is not the owner forwards with the time left, resends on
// its timer, stops once confirmed, and gives up at the deadline.
func TestForwardResendAndDeadline(t *testing.T) {
	env := prototest.Env(nil)
	env.Config.Self = 1
	n := factory(env.Config, prototest.MapStore{})
	env.NowNs = 400
	n.OnRequest(env, 0, write(1, 5))
	require.Equal(t, int64(600), env.Sends[0].Msg.(forward).Req.TimeoutNs)
	timer := env.Timers[0].Timer

	env.Reset()
	env.NowNs = 700
	n.OnTimer(env, timer)
	require.Equal(t, int64(300), env.Sends[0].Msg.(forward).Req.TimeoutNs, "resent with less time")
	env.Timers = env.Timers[:0]
	n.OnTimer(env, timer)
	require.Len(t, env.Sends, 1, "a stale timer does nothing")

	env.Reset()
	env.NowNs = 1001
	n.OnTimer(env, protocol.Timer{ID: 1, Seq: 2})
	require.Empty(t, env.Sends, "past the deadline: given up")

	env.Reset()
	env.NowNs = 100
	n.OnRequest(env, 0, write(2, 6))
	timer = env.Timers[0].Timer
	n.OnMessage(env, owner, done{ID: 2})
	env.Reset()
	n.OnTimer(env, timer)
	require.Empty(t, env.Sends, "confirmed: no resend")
}

// The whole protocol through the simulator: the default scenario, checked.
// A protocol in the registry gets this from sim's TestRegistryExpectations.
func TestTemplateIsLinearizableUnderTheDefaultScenario(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		cfg, err := sim.ProtocolDefault("template", seed)
		require.NoError(t, err)
		res, err := sim.Run(cfg, sim.Options{})
		require.NoError(t, err)
		require.Empty(t, res.Stuck, "seed %d", seed)
		chk, err := checker.CheckWith(context.Background(), res.History, checker.Options{NoWitness: true})
		require.NoError(t, err)
		require.Equal(t, checker.Linearizable, chk.Verdict, "seed %d", seed)
	}
}
