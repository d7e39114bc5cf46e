// Package template is a minimal protocol to start a new one from: copy the
// directory, rename the package and the registered name, and replace the
// rule of step 2 by your own. It shows what every protocol needs —
// registration, message types, dispatch, a resend timer, deadline
// handling, durable state rebuilt at restart — and nothing else
// (docs/adding-a-protocol.md explains each part of the contract).
//
// The protocol: replica 0, the owner, holds every key.
//
//  1. A client may send its request to any replica. The owner serves it;
//     any other replica forwards it to the owner, and resends it until the
//     owner confirms or the request's deadline passes.
//  2. The owner evaluates the request on the key's durable state
//     (register.Eval: read, write, cas, and the window of token outcomes
//     that answers a retried or hedged copy from its first execution),
//     persists the new state, and replies to the client itself. The reply
//     leaves only once the state is durable (the world holds a handler's
//     messages behind its writes), so a crash of the owner loses nothing
//     it answered.
//
// It is linearizable (one replica orders everything, durably) and not
// fault tolerant: while the owner is down or cut off, nothing is answered.
// It is not in the registry (protocol/all does not import it); its tests
// import it and run it through the simulator and the checker.
package template

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/register"
)

// owner is the replica that holds every key.
const owner protocol.NodeID = 0

// resendNs: a forward the owner has not confirmed by then is sent again:
// three of the deployment's round trips (Config.RoundTripNs), at least
// 10ms.
func resendNs(cfg protocol.Config) int64 { return max(10_000_000, 3*cfg.RoundTripNs) }

func init() {
	protocol.Register(protocol.Protocol{
		Name:         "template",
		Description:  "a single owner serves every key durably; other replicas forward to it",
		Ops:          []model.Kind{model.Read, model.Write, model.Cas},
		Linearizable: true,
		// The owner's "not applied" is final: register.Eval records a
		// tombstone, persisted like any change. Variants must repeat this.
		Client: protocol.ClientOptions{Resolve: true},
		New:    factory,
	})
}

// Messages: one Go type each, with a Kind for traces. Messages are shared
// between recipients: never change one after sending it.

// forward carries a client's request to the owner. Req.TimeoutNs is what
// was left of the request's deadline on the forwarding replica's clock:
// clocks differ, so a deadline cannot travel as such.
type forward struct {
	Client protocol.ClientID
	Req    protocol.Request
}

// done tells the forwarding replica that the owner has the request.
type done struct{ ID uint64 }

func (forward) Kind() string { return "forward" }
func (done) Kind() string    { return "done" }

// node is one replica. Everything outside the store is volatile.
type node struct {
	cfg    protocol.Config
	values map[string]register.Value // the owner's keys, as persisted
	// pending are this replica's forwards not yet confirmed, by request
	// ID.
	pending map[uint64]*forwarding
}

type forwarding struct {
	msg      forward // Req.DeadlineNs on this replica's clock
	timerSeq uint64
}

// factory builds a replica at boot and after every restart (it cannot
// tell which, and need not: its state is what the store holds).
func factory(cfg protocol.Config, store protocol.Store) protocol.Node {
	return &node{cfg: cfg, values: protocol.LoadAll[register.Value](store), pending: map[uint64]*forwarding{}}
}

func (n *node) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	if n.cfg.Self == owner {
		n.serve(env, from, req)
		return
	}
	f := &forwarding{msg: forward{Client: from, Req: req}}
	n.pending[req.ID] = f
	n.resend(env, req.ID, f)
}

func (n *node) OnMessage(env *protocol.Env, from protocol.NodeID, m protocol.Message) {
	switch m := m.(type) {
	case forward:
		env.Send(from, done{ID: m.Req.ID})
		n.serve(env, m.Client, m.Req.Arrive(env.NowNs)) // back on this replica's clock
	case done:
		delete(n.pending, m.ID)
	}
}

func (n *node) OnTimer(env *protocol.Env, t protocol.Timer) {
	f, ok := n.pending[t.ID]
	if !ok || f.timerSeq != t.Seq {
		return // confirmed, or a stale timer: there is no cancel
	}
	n.resend(env, t.ID, f)
}

// resend sends the forward with the time left, and sets the next resend;
// past the deadline it gives up, since the client no longer waits.
func (n *node) resend(env *protocol.Env, id uint64, f *forwarding) {
	req, ok := f.msg.Req.Forward(env.NowNs)
	if !ok {
		delete(n.pending, id)
		return
	}
	env.Send(owner, forward{Client: f.msg.Client, Req: req})
	f.timerSeq++
	env.SetTimer(resendNs(n.cfg), protocol.Timer{ID: id, Seq: f.timerSeq})
}

// serve is the owner's rule: evaluate, persist a change, reply.
func (n *node) serve(env *protocol.Env, client protocol.ClientID, req protocol.Request) {
	if env.NowNs > req.DeadlineNs {
		return // the client stopped waiting for this attempt: start no new work
	}
	key := req.Op.Key
	r := register.Eval(n.values[key], req, client)
	if !r.Recorded && (r.Writes || req.Resolve || r.Reply.Status == protocol.CompareFailed) {
		n.values[key] = r.Next
		env.Persist(key, r.Next)
	}
	reply := r.Reply
	reply.ID, reply.Token = req.ID, req.Token
	env.Reply(client, reply)
}
