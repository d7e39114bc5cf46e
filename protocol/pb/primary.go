package pb

import (
	"maps"
	"slices"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/quorum"
	"github.com/casimlab/casim/protocol/internal/register"
)

// Timer kinds.
const (
	timerResend uint8 = iota + 1
)

// primaryState is what the primary keeps in memory, all of it lost in a
// crash.
type primaryState struct {
	recovered  bool
	recovering bool
	// During recovery: the backups that answered, and the most advanced
	// answer.
	answered []bool
	best     recoverResp
	stash    []pending // requests that arrived before recovery ended

	state map[string]register.Value
	last  uint64  // the last sequence number given out
	log   []entry // entries from logStart to last
	// logStart is the first sequence number the log holds; a backup
	// behind it gets an install.
	logStart uint64
	acks     quorum.Acks
	sentTo   []uint64 // per backup: the end of the batch in flight
	waiting  []waiter // replies, in sequence order
	armed    bool     // a resend timer is set
}

type pending struct {
	client protocol.ClientID
	req    protocol.Request
}

// waiter is a reply held until entry seq is acknowledged by a majority.
type waiter struct {
	seq    uint64
	client protocol.ClientID
	reply  protocol.Reply
}

func (n *node) submit(env *protocol.Env, client protocol.ClientID, req protocol.Request) {
	p := n.p
	if !p.recovered {
		p.stash = append(p.stash, pending{client, req})
		if !p.recovering {
			n.startRecovery(env)
		}
		return
	}
	if env.NowNs > req.DeadlineNs {
		return // the client has stopped waiting for this attempt: no new work
	}
	if !slices.Contains([]model.Kind{model.Read, model.Write, model.Cas}, req.Op.Kind) {
		env.Reply(client, protocol.Reply{ID: req.ID, Token: req.Token, Status: protocol.Unsupported})
		return
	}
	key := req.Op.Key
	r := register.Eval(p.state[key], req, client)
	if !r.Recorded && (r.Writes || req.Resolve || r.Reply.Status == protocol.CompareFailed) {
		// The key's state changes (data, or the window of outcomes).
		p.last++
		e := entry{Seq: p.last, Key: key, Value: r.Next}
		p.state[key] = r.Next
		p.log = append(p.log, e)
		if n.cfg.N == 1 {
			env.Persist(recKey+key, r.Next) // no backup to keep it
		}
	}
	reply := r.Reply
	reply.ID, reply.Token = req.ID, req.Token
	if n.opts.earlyAck {
		env.Reply(client, reply) // the bug: before anyone else has it
	} else {
		p.waiting = append(p.waiting, waiter{seq: p.last, client: client, reply: reply})
	}
	n.flush(env)
	n.answer(env)
}

// flush sends each backup with nothing in flight everything it lacks, as
// one batch (or as an install, if the log no longer holds what it lacks).
// The batch serves several operations, so it is credited to none; each
// reply is credited to its own request.
func (n *node) flush(env *protocol.Env) {
	p := n.p
	for b := 1; b < n.cfg.N; b++ {
		to := protocol.NodeID(b)
		have := p.acks.Of(to)
		if p.sentTo[b] > have || have >= p.last {
			continue // a batch in flight, or nothing to send
		}
		if have+1 < p.logStart {
			env.SendFor(to, install{Epoch: n.epoch, Seq: p.last, State: maps.Clone(p.state)}, protocol.ServesNone)
		} else {
			batch := slices.Clone(p.log[have+1-p.logStart:])
			env.SendFor(to, replicate{Epoch: n.epoch, Entries: batch}, protocol.ServesNone)
		}
		p.sentTo[b] = p.last
	}
	n.arm(env)
}

// arm keeps one resend timer set while a backup lacks something. A timer
// that keeps re-arming while a backup is down does not make a run stuck:
// the run ends when the clients are done.
func (n *node) arm(env *protocol.Env) {
	p := n.p
	if p.armed {
		return
	}
	behind := p.recovering
	for b := 1; b < n.cfg.N && !behind; b++ {
		behind = p.acks.Of(protocol.NodeID(b)) < p.last
	}
	if behind {
		p.armed = true
		env.SetTimerFor(resendNs(n.cfg), protocol.Timer{Kind: timerResend}, protocol.ServesNone)
	}
}

func (n *node) OnTimer(env *protocol.Env, t protocol.Timer) {
	p := n.p
	if p == nil || t.Kind != timerResend {
		return
	}
	p.armed = false
	if p.recovering {
		n.askBackups(env)
		n.arm(env)
		return
	}
	for b := 1; b < n.cfg.N; b++ {
		p.sentTo[b] = p.acks.Of(protocol.NodeID(b)) // the batch in flight is presumed lost
	}
	n.flush(env)
}

func (n *node) onAck(env *protocol.Env, from protocol.NodeID, m ack) {
	p := n.p
	if !p.recovered || m.Epoch != n.epoch {
		return
	}
	p.acks.Ack(from, m.Seq)
	// The batch in flight is done once the backup has all of it. An
	// acknowledgement short of it (a batch lost or overtaken, or a late
	// copy) leaves it in flight: the resend timer sends it again.
	p.sentTo[from] = max(p.sentTo[from], m.Seq)
	n.trim()
	n.answer(env)
	n.flush(env)
}

// answer sends the replies whose entry a majority has.
func (n *node) answer(env *protocol.Env) {
	p := n.p
	p.acks.Ack(primary, p.last)
	committed := p.acks.Committed(n.cfg.Quorum())
	i := 0
	for ; i < len(p.waiting) && p.waiting[i].seq <= committed; i++ {
		env.Reply(p.waiting[i].client, p.waiting[i].reply)
	}
	p.waiting = slices.Delete(p.waiting, 0, i)
}

// trim drops the entries every backup has.
func (n *node) trim() {
	p := n.p
	low := p.last
	for b := 1; b < n.cfg.N; b++ {
		low = min(low, p.acks.Of(protocol.NodeID(b)))
	}
	if low >= p.logStart {
		p.log = slices.Delete(p.log, 0, int(low+1-p.logStart))
		p.logStart = low + 1
	}
}

// Recovery.

// startRecovery begins a new epoch, durably, and asks every backup for
// its data.
func (n *node) startRecovery(env *protocol.Env) {
	p := n.p
	n.epoch++
	env.Persist(recEpoch, n.epoch)
	p.recovering = true
	p.answered = make([]bool, n.cfg.N)
	p.best = recoverResp{State: map[string]register.Value{}}
	p.acks.Reset(n.cfg.N)
	if n.cfg.N == 1 {
		p.best.State = n.state // its own records: no backup to ask
		n.finishRecovery(env)
		return
	}
	n.askBackups(env)
	n.arm(env)
}

func (n *node) askBackups(env *protocol.Env) {
	for b := 1; b < n.cfg.N; b++ {
		if !n.p.answered[b] {
			env.SendFor(protocol.NodeID(b), recoverReq{Epoch: n.epoch}, protocol.ServesNone)
		}
	}
}

func (n *node) onRecoverResp(env *protocol.Env, from protocol.NodeID, m recoverResp) {
	p := n.p
	if !p.recovering || m.Epoch != n.epoch || p.answered[from] {
		return
	}
	p.answered[from] = true
	p.acks.Ack(from, m.Seq)
	if m.Seq >= p.best.Seq {
		p.best = m
	}
	for b := 1; b < n.cfg.N; b++ {
		if !p.answered[b] {
			return
		}
	}
	n.finishRecovery(env)
}

// finishRecovery takes the most advanced backup's data, brings the others
// up to it, and handles what arrived meanwhile.
func (n *node) finishRecovery(env *protocol.Env) {
	p := n.p
	p.recovering, p.recovered = false, true
	p.state = maps.Clone(p.best.State)
	if p.state == nil {
		p.state = map[string]register.Value{}
	}
	p.last, p.logStart, p.log = p.best.Seq, p.best.Seq+1, nil
	p.sentTo = make([]uint64, n.cfg.N)
	for b := 1; b < n.cfg.N; b++ {
		p.sentTo[b] = p.acks.Of(protocol.NodeID(b))
	}
	stash := p.stash
	p.stash = nil
	n.flush(env)
	for _, q := range stash {
		n.submit(env, q.client, q.req)
	}
	n.answer(env)
}
