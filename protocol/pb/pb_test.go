package pb

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/prototest"
	"github.com/casimlab/casim/protocol/internal/register"
)

func write(id uint64, v int64) protocol.Request {
	return protocol.Request{ID: id, Op: model.Input{Kind: model.Write, Key: "x", Value: v},
		Token: protocol.Token{TimeNs: int64(id), Nonce: id}, TimeoutNs: 1e9, DeadlineNs: 1e9}
}

// recovered is a primary that has finished recovery against two empty
// backups, with its effects cleared.
func recovered(t *testing.T, opts options) (*node, *protocol.Env) {
	env := prototest.Env(nil)
	n := factory(opts)(env.Config, prototest.MapStore{}).(*node)
	n.OnRequest(env, 0, protocol.Request{ID: 99, Op: model.Input{Kind: model.Read, Key: "x"}, DeadlineNs: 1e9})
	require.Len(t, env.Sends, 2, "recovery asks both backups")
	for b := 1; b <= 2; b++ {
		n.OnMessage(env, protocol.NodeID(b), recoverResp{Epoch: 1, State: nil})
	}
	require.True(t, n.p.recovered)
	env.Reset()
	return n, env
}

// A write is answered once a backup has it (a majority with the primary),
// not before; early-ack answers at once.
func TestPrimaryAnswersAfterABackupAcknowledges(t *testing.T) {
	n, env := recovered(t, options{})
	n.OnRequest(env, 1, write(1, 5))
	require.Empty(t, env.Replies, "nothing before a backup has it")
	require.Len(t, env.Sends, 2)
	batch := env.Sends[0].Msg.(replicate)
	require.Equal(t, []entry{{Seq: 1, Key: "x", Value: n.p.state["x"]}}, batch.Entries)
	require.True(t, env.Sends[0].For.None(), "a batch is credited to no operation")

	// A second write while the batch is in flight waits for the next one.
	env.Reset()
	n.OnRequest(env, 2, write(2, 6))
	require.Empty(t, env.Sends, "one batch in flight per backup")

	env.Reset()
	n.OnMessage(env, 1, ack{Epoch: 1, Seq: 1})
	require.Len(t, env.Replies, 1)
	require.Equal(t, uint64(1), env.Replies[0].Reply.ID)
	require.Len(t, env.Sends, 1, "the next batch goes to the backup that acknowledged")
	require.Len(t, env.Sends[0].Msg.(replicate).Entries, 1)

	n, env = recovered(t, options{earlyAck: true})
	n.OnRequest(env, 1, write(1, 5))
	require.Len(t, env.Replies, 1, "early-ack answers before any backup has the write")
}

// A backup forwards with what is left of the deadline as a timeout, and
// the primary turns it back into a deadline on its own clock.
func TestBackupForwardsTheTimeLeft(t *testing.T) {
	env := prototest.Env(nil)
	env.Config.Self = 1
	b := factory(options{})(env.Config, prototest.MapStore{}).(*node)
	env.NowNs = 300
	req := write(1, 5)
	req.DeadlineNs = 1000
	b.OnRequest(env, 0, req)
	require.Len(t, env.Sends, 1)
	f := env.Sends[0].Msg.(forward)
	require.Equal(t, protocol.NodeID(0), env.Sends[0].To)
	require.Equal(t, int64(700), f.Req.TimeoutNs)

	p, penv := recovered(t, options{})
	penv.NowNs = 5_000
	p.OnMessage(penv, 1, f)
	require.Len(t, p.p.waiting, 1, "taken on: 700ns left on the primary's clock too")
	env.Reset()
	env.NowNs = 1001
	b.OnRequest(env, 0, req)
	require.Empty(t, env.Sends, "past its deadline: nothing to forward")
}

// A backup applies batches in order and refuses an older epoch's batch
// once it has seen a newer epoch; a restarted primary takes the most
// advanced backup's data.
func TestEpochsFenceOldBatchesAndRecoveryTakesTheMostAdvanced(t *testing.T) {
	env := prototest.Env(nil)
	env.Config.Self = 1
	b := factory(options{})(env.Config, prototest.MapStore{}).(*node)
	p, _ := recovered(t, options{})
	p.OnRequest(prototest.Env(nil), 1, write(1, 5))
	e1 := p.p.log[0]
	b.OnMessage(env, 0, replicate{Epoch: 1, Entries: []entry{{Seq: 2, Key: "x"}}})
	require.Equal(t, uint64(0), b.applied, "a gap is not applied")
	b.OnMessage(env, 0, replicate{Epoch: 1, Entries: []entry{e1}})
	require.Equal(t, uint64(1), b.applied)
	require.Equal(t, ack{Epoch: 1, Seq: 1}, env.Sends[len(env.Sends)-1].Msg)

	b.OnMessage(env, 0, recoverReq{Epoch: 2})
	env.Reset()
	b.OnMessage(env, 0, replicate{Epoch: 1, Entries: []entry{{Seq: 2, Key: "x"}}})
	require.Empty(t, env.Sends, "a late batch of epoch 1 is refused")
	require.Equal(t, uint64(1), b.applied)

	// A restarted primary: epoch from its store, data from the backups.
	penv := prototest.Env(nil)
	store := prototest.MapStore{recEpoch: uint64(1)}
	q := factory(options{})(penv.Config, store).(*node)
	q.OnRequest(penv, 0, protocol.Request{ID: 7, Op: model.Input{Kind: model.Read, Key: "x"}, DeadlineNs: 1e9})
	require.Equal(t, uint64(2), q.epoch)
	q.OnMessage(penv, 1, recoverResp{Epoch: 2, Seq: 1, State: b.state})
	require.False(t, q.p.recovered, "waits for every backup")
	q.OnMessage(penv, 2, recoverResp{Epoch: 2})
	require.True(t, q.p.recovered)
	require.Equal(t, int64(5), q.p.state["x"].V)
	var installed bool
	for _, s := range penv.Sends {
		if i, ok := s.Msg.(install); ok && s.To == 2 {
			installed = i.Seq == 1
		}
	}
	require.True(t, installed, "the backup behind gets the data")
}

// What a replica makes durable brings it back after a restart: a backup
// its epoch (so that an older epoch's late messages stay fenced) and an
// installed state, a primary the epoch it started, and a backup refuses
// an older epoch's install and recovery request as it refuses its
// batches. (Survivors of casim mutate at 200 seeds: the default sweep
// rarely restarts a replica between these steps and a late message.)
func TestDurableEpochsAndInstallsFence(t *testing.T) {
	persisted := func(env *protocol.Env, store prototest.MapStore) prototest.MapStore {
		for _, r := range env.Persists {
			store[r.Key] = r.Value
		}
		return store
	}
	env := prototest.Env(nil)
	env.Config.Self = 1
	store := prototest.MapStore{}
	b := factory(options{})(env.Config, store).(*node)
	st := map[string]register.Value{"x": {Has: true, V: 5}}
	b.OnMessage(env, 0, install{Epoch: 2, Seq: 3, State: st})
	require.Equal(t, ack{Epoch: 2, Seq: 3}, env.Sends[0].Msg)

	// Restarted from what it persisted: epoch, state and sequence number.
	b = factory(options{})(env.Config, persisted(env, store)).(*node)
	require.Equal(t, uint64(2), b.epoch)
	require.Equal(t, uint64(3), b.applied)
	require.Equal(t, int64(5), b.state["x"].V)
	env.Reset()
	b.OnMessage(env, 0, install{Epoch: 1, Seq: 9, State: map[string]register.Value{"x": {Has: true, V: 6}}})
	b.OnMessage(env, 0, recoverReq{Epoch: 1})
	b.OnMessage(env, 0, replicate{Epoch: 1, Entries: []entry{{Seq: 4, Key: "x"}}})
	require.Empty(t, env.Sends, "epoch 1 is fenced after the restart")
	require.Equal(t, uint64(3), b.applied)
	require.Equal(t, int64(5), b.state["x"].V)

	// A primary persists the epoch it starts before asking anyone.
	penv := prototest.Env(nil)
	pstore := prototest.MapStore{recEpoch: uint64(4)}
	p := factory(options{})(penv.Config, pstore).(*node)
	p.OnRequest(penv, 0, protocol.Request{ID: 7, Op: model.Input{Kind: model.Read, Key: "x"}, DeadlineNs: 1e9})
	require.Equal(t, uint64(5), persisted(penv, pstore)[recEpoch])
}

// Recovery counts only answers of its own epoch: a backup whose answer
// belongs to an older recovery has not adopted the new epoch, and that
// adoption is what fences the old one (a survivor of casim mutate at 1000
// seeds).
func TestRecoveryCountsOnlyItsOwnEpoch(t *testing.T) {
	env := prototest.Env(nil)
	p := factory(options{})(env.Config, prototest.MapStore{recEpoch: uint64(1)}).(*node)
	p.OnRequest(env, 0, protocol.Request{ID: 7, Op: model.Input{Kind: model.Read, Key: "x"}, DeadlineNs: 1e9})
	require.Equal(t, uint64(2), p.epoch)
	p.OnMessage(env, 1, recoverResp{Epoch: 1, Seq: 4})
	p.OnMessage(env, 2, recoverResp{Epoch: 2})
	require.False(t, p.p.recovered, "backup 1 has not answered in epoch 2")
	p.OnMessage(env, 1, recoverResp{Epoch: 2})
	require.True(t, p.p.recovered)
}
