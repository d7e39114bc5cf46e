package lww

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/quorum"
)

// Messages. Op names the coordinator's operation; a write that repairs a
// read carries the read's highest token and value.

type write struct {
	Key   string
	Op    uint64
	Token protocol.Token
	Value int64
}

type ack struct {
	Key string
	Op  uint64
}

type read struct {
	Key   string
	Op    uint64
	Token protocol.Token // a resolving read asks after it
}

type readResp struct {
	Key          string
	Op           uint64
	Token        protocol.Token
	Has          bool
	V            int64
	Found, Known bool // the asked token reached this replica; may have
}

func (write) Kind() string    { return "write" }
func (ack) Kind() string      { return "ack" }
func (read) Kind() string     { return "read" }
func (readResp) Kind() string { return "read-resp" }

type phase uint8

const (
	phWrite phase = iota
	phRead
	phRepair
)

// roundTimeoutNs: a phase with too few answers by then is sent again. It is three of the
// deployment's round trips, at least 10ms.
func roundTimeoutNs(cfg protocol.Config) int64 { return max(10_000_000, 3*cfg.RoundTripNs) }

type op struct {
	id       uint64
	client   protocol.ClientID
	req      protocol.Request
	phase    phase
	timerSeq uint64
	tally    quorum.Tally
	// The read phase's aggregate: the highest cell, whether the answers
	// disagreed, and for a resolving read what they said of its token.
	best           readResp
	differ         bool
	found, unknown bool
	sent           protocol.Message // the current phase's message, for resending
	// level is the operation's consistency level; scope counts a
	// regional one (scope.go), nil otherwise.
	level string
	scope *scope
}

func (n *node) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	o := &op{id: env.Rand.Uint64(), client: from, req: req}
	key := req.Op.Key
	switch {
	case req.Resolve:
		n.start(env, o, phRead, n.cfg.Quorum(), read{Key: key, Op: o.id, Token: req.Token})
	case req.Op.Kind == model.Read:
		o.level = n.set.readLevel
		n.start(env, o, phRead, n.set.readN, read{Key: key, Op: o.id})
	case n.set.maxSkewNs > 0 && abs(req.Token.TimeNs-env.NowNs) > n.set.maxSkewNs:
		n.finish(env, o, protocol.Unknown)
	default:
		o.level = n.set.writeLevel
		n.start(env, o, phWrite, n.set.writeN, write{Key: key, Op: o.id, Token: req.Token, Value: req.Op.Value})
	}
}

// start enters a phase: send m to every replica and wait for need answers.
func (n *node) start(env *protocol.Env, o *op, p phase, need int, m protocol.Message) {
	if env.NowNs > o.req.DeadlineNs {
		n.finish(env, o, protocol.Unknown)
		return
	}
	n.ops[o.id] = o
	o.phase, o.sent = p, m
	o.scope = newScope(n.cfg, o.level)
	if o.scope != nil {
		need = o.scope.total()
	}
	o.tally.Reset(need)
	n.send(env, o)
}

// send (re)sends the phase's message to the replicas that have not
// answered, with a round timer.
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
		n.finish(env, o, protocol.Unknown)
		return
	}
	n.send(env, o)
}

func (n *node) finish(env *protocol.Env, o *op, st protocol.Status) {
	r := protocol.Reply{ID: o.req.ID, Token: o.req.Token, Status: st}
	if st == protocol.OK && o.req.Op.Kind == model.Read && !o.req.Resolve {
		r.Has, r.Value = o.best.Has, o.best.V
	}
	env.Reply(o.client, r)
	delete(n.ops, o.id)
}

func (n *node) onAck(env *protocol.Env, from protocol.NodeID, m ack) {
	o, ok := n.ops[m.Op]
	if !ok || o.phase == phRead || !o.tally.First(from) || !n.enough(o, from) {
		return
	}
	n.finish(env, o, protocol.OK) // a write, or a read whose repair is done
}

func (n *node) onReadResp(env *protocol.Env, from protocol.NodeID, m readResp) {
	o, ok := n.ops[m.Op]
	if !ok || o.phase != phRead || !o.tally.First(from) {
		return
	}
	if o.tally.OKs > 0 && m.Token != o.best.Token {
		o.differ = true
	}
	if o.tally.OKs == 0 || o.best.Token.Less(m.Token) {
		o.best = m
	}
	o.found = o.found || m.Found
	o.unknown = o.unknown || !m.Known
	if !n.enough(o, from) {
		return
	}
	switch {
	case o.req.Resolve && o.found:
		// Applied somewhere, perhaps only there: complete the write at a
		// quorum before saying so.
		n.start(env, o, phRepair, n.cfg.Quorum(), write{Key: m.Key, Op: o.id, Token: o.req.Token, Value: o.req.Op.Value})
	case o.req.Resolve && o.unknown:
		n.finish(env, o, protocol.Unknown)
	case o.req.Resolve:
		n.finish(env, o, protocol.NotApplied) // not final: see the package comment
	case o.differ && o.tally.Need > 1 && !n.set.noReadRepair:
		// Blocking read repair: the newest value to the read level's
		// number of replicas before answering.
		n.start(env, o, phRepair, o.tally.Need, write{Key: m.Key, Op: o.id, Token: o.best.Token, Value: o.best.V})
	default:
		n.finish(env, o, protocol.OK)
	}
}

// enough counts from's answer and reports whether the phase now has the
// answers its level needs: true once.
func (n *node) enough(o *op, from protocol.NodeID) bool {
	if o.scope == nil {
		return o.tally.OK()
	}
	o.tally.OKs++
	return o.scope.answer(n.cfg, from)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
