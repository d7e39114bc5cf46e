package abd

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/quorum"
)

// roundTimeoutNs: a phase without a majority by then asks again. It is three of the
// deployment's round trips, at least 10ms.
func roundTimeoutNs(cfg protocol.Config) int64 { return max(10_000_000, 3*cfg.RoundTripNs) }

type phase uint8

const (
	phQuery phase = iota
	phStore
)

type op struct {
	id       uint64
	client   protocol.ClientID
	req      protocol.Request
	phase    phase
	sent     protocol.Message
	tally    quorum.Tally
	timerSeq uint64
	// The query phase's aggregate: the highest (tag, value) and, for a
	// write, what the replicas said of its token.
	best      queryResp
	stored    Tag // the token's tag, if a replica has it stored
	contested bool
	reply     protocol.Reply
}

func (n *node) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	o := &op{id: env.Rand.Uint64(), client: from, req: req}
	if req.Resolve || (req.Op.Kind != model.Read && req.Op.Kind != model.Write) {
		n.finish(env, o, protocol.Reply{Status: protocol.Unsupported})
		return
	}
	write := req.Op.Kind == model.Write
	n.start(env, o, phQuery, query{Key: req.Op.Key, Op: o.id, Claim: write, Token: req.Token, Session: req.Session(from)})
}

// start enters a phase: send m to every replica, wait for a majority.
func (n *node) start(env *protocol.Env, o *op, p phase, m protocol.Message) {
	if env.NowNs > o.req.DeadlineNs {
		n.giveUp(env, o)
		return
	}
	n.ops[o.id] = o
	o.phase, o.sent = p, m
	o.tally.Reset(n.cfg.Quorum())
	n.send(env, o)
}

func (n *node) send(env *protocol.Env, o *op) {
	o.tally.Resend(env, o.sent)
	o.timerSeq++
	env.SetTimer(roundTimeoutNs(n.cfg), protocol.Timer{Key: o.req.Op.Key, ID: o.id, Seq: o.timerSeq})
}

func (n *node) OnTimer(env *protocol.Env, t protocol.Timer) {
	o, ok := n.ops[t.ID]
	if !ok || o.timerSeq != t.Seq {
		return
	}
	if env.NowNs > o.req.DeadlineNs {
		n.giveUp(env, o)
		return
	}
	n.send(env, o)
}

// giveUp answers Unknown. A write still in its query phase has stored
// nothing and never will: it releases its claims.
func (n *node) giveUp(env *protocol.Env, o *op) {
	if o.req.Op.Kind == model.Write && o.phase == phQuery {
		env.Broadcast(release{Key: o.req.Op.Key, Op: o.id, Token: o.req.Token, Session: o.req.Session(o.client)})
	}
	n.finish(env, o, protocol.Reply{Status: protocol.Unknown})
}

func (n *node) finish(env *protocol.Env, o *op, r protocol.Reply) {
	r.ID, r.Token = o.req.ID, o.req.Token
	env.Reply(o.client, r)
	delete(n.ops, o.id)
}

func (n *node) onQueryResp(env *protocol.Env, from protocol.NodeID, m queryResp) {
	o, ok := n.ops[m.Op]
	if !ok || o.phase != phQuery || !o.tally.First(from) {
		return
	}
	if o.best.Tag.Less(m.Tag) || o.tally.OKs == 0 {
		o.best = m
	}
	switch m.Claim {
	case stored:
		o.stored = m.StoredTag
	case foreign, unknown:
		o.contested = true
	}
	if !o.tally.OK() {
		return
	}
	key := o.req.Op.Key
	switch {
	case o.req.Op.Kind == model.Read:
		o.reply = protocol.Reply{Status: protocol.OK, Has: o.best.Has, Value: o.best.V}
		if !o.best.Has || n.opts.noWriteBack {
			n.finish(env, o, o.reply)
			return
		}
		n.start(env, o, phStore, store{Key: key, Op: o.id, Tag: o.best.Tag, Token: o.best.Token, Session: o.best.Session, Value: o.best.V})
	case !o.stored.IsZero() && !n.opts.noClaim:
		// An earlier attempt stored the write: finish it under its tag.
		o.reply = protocol.Reply{Status: protocol.OK}
		n.start(env, o, phStore, store{Key: key, Op: o.id, Tag: o.stored, Token: o.req.Token, Session: o.req.Session(o.client), Value: o.req.Op.Value})
	case o.contested && !n.opts.noClaim:
		n.giveUp(env, o)
	default: // the token is ours at a majority: a new tag
		o.reply = protocol.Reply{Status: protocol.OK}
		tag := ballot.New(o.best.Tag.TimeNs+1, env)
		n.start(env, o, phStore, store{Key: key, Op: o.id, Tag: tag, Token: o.req.Token, Session: o.req.Session(o.client), Value: o.req.Op.Value})
	}
}

func (n *node) onStoreAck(env *protocol.Env, from protocol.NodeID, m storeAck) {
	o, ok := n.ops[m.Op]
	if !ok || o.phase != phStore || !o.tally.First(from) || !o.tally.OK() {
		return
	}
	n.finish(env, o, o.reply)
}
