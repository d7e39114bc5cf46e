// Package pb is primary-backup replication with a fixed primary: replica 0
// orders every operation, applies it to its copy, and replicates the
// resulting key states to the backups in batches; it answers once a
// majority of the cluster (itself and enough backups) has them. It is the
// shape of many primary-backup and chain-less log-shipping systems
// (Alsberg and Day, "A principle for resilient sharing of distributed
// resources", 1976; Budhiraja et al., "The primary-backup approach", 1993)
// with the fixed primary the simplest of them keep, and it is casim's
// example of a protocol that batches: one acknowledgement can let the
// primary answer several operations.
//
//  1. Any replica takes a client request; a backup forwards it to the
//     primary, which answers the client itself. The request's deadline is
//     on the backup's clock, so the backup sends what is left of it as a
//     timeout, and the primary turns it back into a deadline on its own
//     clock (see forward).
//  2. The primary evaluates the request on its copy of the key
//     (register.Eval, which also answers a retried or hedged copy from the
//     key's window of token outcomes), gives a change the next sequence
//     number, and sends each backup everything it has not acknowledged, at
//     most one batch in flight per backup: what arrives meanwhile waits
//     for the acknowledgement and goes in the next batch.
//  3. A backup applies entries in sequence order, persists them, and
//     acknowledges the highest sequence number it has.
//  4. The primary answers a request once the entry it depends on (its
//     own, or the latest one when it evaluated a read) is acknowledged by
//     a majority counting itself: a read too, since it may have seen a
//     change that a crash of the primary could still lose.
//
// The primary keeps the data in memory only: durability is the backups'
// job, as in systems that replicate instead of syncing each write (it
// persists only its epoch). After a restart, on its first input, it starts
// a new epoch and collects every backup's state; the most advanced one
// holds every acknowledged entry, since majorities intersect and backups
// apply in order. It installs that state on the backups behind it and goes
// on. Asking every backup (not a majority) is what fences the old epoch:
// each backup has adopted the new epoch before the primary sends anything,
// so a late batch of the old one, whose sequence numbers the new epoch
// reuses, is refused everywhere.
//
// A fixed primary is unavailable while it is down or cut off, and so is
// everything while it recovers and a backup is down: nothing fails over.
// casim's per-run figures (longest stretch without a completion,
// availability) show it; `--faults crash-nodes=0` aims the crashes at it.
//
// Variant early-ack: the primary answers as soon as it has evaluated a
// request, before any backup has the change. A crash of the primary then
// loses acknowledged writes, and a later read returns an older value.
package pb

import (
	"maps"
	"slices"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/register"
)

// primary is the fixed primary.
const primary protocol.NodeID = 0

// resendNs: a batch, install or recovery request without an answer by
// then is sent again: three of the deployment's round trips, at least
// 10ms (a resend is harmless, only wasted, when the answer is merely late).
func resendNs(cfg protocol.Config) int64 { return max(10_000_000, 3*cfg.RoundTripNs) }

type options struct {
	earlyAck bool
}

func init() {
	ops := []model.Kind{model.Read, model.Write, model.Cas}
	protocol.Register(protocol.Protocol{
		Name:         "pb",
		Description:  "primary-backup with a fixed primary: batched replication, answers once a majority has the change",
		Ops:          ops,
		Linearizable: true,
		Client:       protocol.ClientOptions{Resolve: true},
		New:          factory(options{}),
	})
	protocol.Register(protocol.Protocol{
		Name:        "pb/early-ack",
		Description: "the primary answers before the backups acknowledge (a primary crash loses acknowledged writes)",
		Ops:         ops,
		Client:      protocol.ClientOptions{Resolve: true},
		// An acknowledged write is lost only if the primary crashes
		// before any backup has it: within a round trip of the answer,
		// or while a batch waits behind the one in flight. The mixture's
		// crashes aimed at one replica, crash storms and slow nodes make
		// that happen.
		New: factory(options{earlyAck: true}),
	})
}

// Durable records: the epoch, and on a backup the applied sequence number
// and each key's state.
const (
	recEpoch   = "epoch"
	recApplied = "applied"
	recKey     = "k/"
)

type node struct {
	cfg  protocol.Config
	opts options
	// epoch is, on the primary, the last epoch it started; on a backup,
	// the highest epoch it has seen.
	epoch uint64
	// applied and state are a backup's data: every entry up to applied.
	// The primary's copy is p.state.
	applied uint64
	state   map[string]register.Value
	p       *primaryState // nil on a backup
}

func factory(opts options) protocol.Factory {
	// Called at boot and after every restart alike: the node rebuilds
	// what it persisted, and the primary recovers on its first input.
	return func(cfg protocol.Config, store protocol.Store) protocol.Node {
		n := &node{cfg: cfg, opts: opts, state: map[string]register.Value{}}
		for _, k := range store.Keys() {
			v, _ := store.Get(k)
			switch {
			case k == recEpoch:
				n.epoch = v.(uint64)
			case k == recApplied:
				n.applied = v.(uint64)
			case len(k) > len(recKey) && k[:len(recKey)] == recKey:
				n.state[k[len(recKey):]] = v.(register.Value)
			}
		}
		if cfg.Self == primary {
			n.p = &primaryState{}
		}
		return n
	}
}

// Messages. They are shared between recipients and never changed.

// forward carries a request from a backup to the primary. Req.TimeoutNs
// is what was left of the request's deadline on the backup's clock.
type forward struct {
	Client protocol.ClientID
	Req    protocol.Request
}

// entry is one change: the key's state after sequence number Seq.
type entry struct {
	Seq   uint64
	Key   string
	Value register.Value
}

// replicate is a batch of consecutive entries.
type replicate struct {
	Epoch   uint64
	Entries []entry
}

// install replaces a backup's data by the primary's, as of Seq: for a
// backup behind the first entry the primary still has.
type install struct {
	Epoch, Seq uint64
	State      map[string]register.Value
}

// ack says a backup has every entry up to Seq.
type ack struct{ Epoch, Seq uint64 }

// recoverReq starts the primary's epoch Epoch and asks for the backup's
// data.
type recoverReq struct{ Epoch uint64 }

// recoverResp is a backup's data, as of Seq.
type recoverResp struct {
	Epoch, Seq uint64
	State      map[string]register.Value
}

func (forward) Kind() string     { return "forward" }
func (replicate) Kind() string   { return "replicate" }
func (install) Kind() string     { return "install" }
func (ack) Kind() string         { return "ack" }
func (recoverReq) Kind() string  { return "recover" }
func (recoverResp) Kind() string { return "recover-resp" }

func (n *node) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	if n.p != nil {
		n.submit(env, from, req)
		return
	}
	// A backup forwards. The deadline is on this replica's clock; the
	// primary's clock may differ, so what travels is the time left.
	if fwd, ok := req.Forward(env.NowNs); ok {
		env.Send(primary, forward{Client: from, Req: fwd})
	}
}

func (n *node) OnMessage(env *protocol.Env, from protocol.NodeID, m protocol.Message) {
	switch m := m.(type) {
	case forward:
		if n.p != nil {
			n.submit(env, m.Client, m.Req.Arrive(env.NowNs)) // back on this replica's clock
		}
	case replicate:
		n.onReplicate(env, m)
	case install:
		n.onInstall(env, m)
	case recoverReq:
		n.onRecoverReq(env, m)
	case ack:
		if n.p != nil {
			n.onAck(env, from, m)
		}
	case recoverResp:
		if n.p != nil {
			n.onRecoverResp(env, from, m)
		}
	}
}

// Backup side.

// adopt moves a backup to a newer epoch, durably, and reports whether m's
// epoch is current.
func (n *node) adopt(env *protocol.Env, epoch uint64) bool {
	if epoch < n.epoch {
		return false // a late message of an older epoch
	}
	if epoch > n.epoch {
		n.epoch = epoch
		env.Persist(recEpoch, epoch)
	}
	return true
}

func (n *node) onReplicate(env *protocol.Env, m replicate) {
	if !n.adopt(env, m.Epoch) {
		return
	}
	for _, e := range m.Entries {
		if e.Seq != n.applied+1 {
			continue // already had it, or a gap: the primary sends again
		}
		n.state[e.Key] = e.Value
		n.applied = e.Seq
		env.Persist(recKey+e.Key, e.Value)
	}
	env.Persist(recApplied, n.applied)
	env.Send(primary, ack{Epoch: m.Epoch, Seq: n.applied})
}

func (n *node) onInstall(env *protocol.Env, m install) {
	if !n.adopt(env, m.Epoch) {
		return
	}
	if m.Seq > n.applied {
		for _, k := range sortedKeys(m.State) {
			n.state[k] = m.State[k]
			env.Persist(recKey+k, m.State[k])
		}
		n.applied = m.Seq
		env.Persist(recApplied, n.applied)
	}
	env.Send(primary, ack{Epoch: m.Epoch, Seq: n.applied})
}

func (n *node) onRecoverReq(env *protocol.Env, m recoverReq) {
	if !n.adopt(env, m.Epoch) {
		return
	}
	env.Send(primary, recoverResp{Epoch: m.Epoch, Seq: n.applied, State: maps.Clone(n.state)})
}

func sortedKeys(m map[string]register.Value) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sortStrings(ks)
	return ks
}

func sortStrings(s []string) { slices.Sort(s) }
