package explore

import (
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// The explorer's client is sim's client library reduced to its choices:
// one operation at a time, a fixed list of operations, an idempotency
// token per operation, an attempt timeout with up to Config.Retries
// retries at the next coordinator, a deadline after which the operation
// is indeterminate or, with Config.Resolve, resolved by a resolving read.
// Backoffs, hedging and think times are left out: a think time is the
// choice of when to invoke, and a backoff only moves a retry later,
// which message delays already allow.

// Client timer kinds, in the order a client's timers fall due.
const (
	ctAttempt = iota
	ctResolve
	ctDeadline
	ctCount
)

var clientTimerNames = [ctCount]string{"attempt-timeout", "resolve", "deadline"}

// Request IDs as sim's clients make them: the client (its slot) in the
// top 16 bits, the operation's sequence number, a resolve bit and the
// attempt.
const (
	resolveBit  = 1 << 15
	attemptMask = resolveBit - 1
)

// client is one client's state.
type client struct {
	next      int // operations invoked so far
	process   int
	active    bool
	op        int // index of the current operation in world.ops
	key       int
	in        model.Input
	token     protocol.Token
	lastTokNs int64
	attempt   uint32
	coord     int
	resolving bool
	deadline  int64
	dueNs     [ctCount]int64 // 0: not set
}

func (c client) hash() uint64 {
	h := newHasher()
	for _, x := range []uint64{uint64(c.next), boolWord(c.active), uint64(c.op), uint64(c.token.TimeNs), c.token.Nonce,
		uint64(c.lastTokNs), uint64(c.attempt), uint64(c.coord), boolWord(c.resolving), uint64(c.deadline)} {
		h.word(x)
	}
	for _, d := range c.dueNs {
		h.word(uint64(d))
	}
	return h.sum()
}

func boolWord(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// nextTimer is the client's earliest pending timer (-1: none).
func (c *client) nextTimer() int {
	best := -1
	for k, d := range c.dueNs {
		if d != 0 && (best < 0 || d < c.dueNs[best]) {
			best = k
		}
	}
	return best
}

func (w *world) endpoint(c int) int32 { return int32(w.m.cfg.Replicas + c) }

// invoke starts client ci's next operation.
func (w *world) invoke(ci int) {
	m := w.m
	c := &w.cls[ci]
	spec := m.plans[ci][c.next]
	index := c.next
	c.next++
	in := model.Input{Kind: spec.Kind, Key: m.keys[spec.Key]}
	nc := len(m.plans)
	if in.Kind != model.Read {
		in.Value = int64(index)*int64(nc) + int64(ci) + 1
	}
	if spec.Given {
		in.Value, in.Expected = spec.Value, spec.Expected
	} else if in.Kind == model.Cas {
		k := w.seen[ci*m.cfg.Keys+spec.Key]
		if !k.has {
			k = w.last[spec.Key]
		}
		in.Expected = k.v
	}
	c.active, c.key, c.in, c.attempt, c.resolving = true, spec.Key, in, 0, false
	c.lastTokNs = max(w.nowNs, c.lastTokNs+1)
	c.token = protocol.Token{TimeNs: c.lastTokNs, Nonce: hashWords(0x70c, uint64(ci), uint64(index))}
	c.op = m.opBase[ci] + index
	w.ops[c.op] = opRec{invoked: true, client: ci, index: index, in: in, typ: history.Invoke, after: w.done}
	w.rehashHistory()
	w.record(history.Event{Type: history.Invoke, Process: c.process, F: in.Kind, Key: in.Key,
		Has: in.Kind != model.Read, Value: in.Value, Expected: in.Expected})
	c.coord = spec.coordinator(ci, index, m.cfg.Replicas)
	c.deadline = 0
	if m.cfg.DeadlineNs > 0 {
		c.deadline = w.nowNs + m.cfg.DeadlineNs
		c.dueNs[ctDeadline] = c.deadline
	}
	w.sendAttempt(ci)
}

func (w *world) requestID(ci int) uint64 {
	c := &w.cls[ci]
	id := uint64(ci)<<48 | uint64(c.next)<<16 | uint64(c.attempt&attemptMask)
	if c.resolving {
		id |= resolveBit
	}
	return id
}

// sendAttempt sends the current attempt to the client's coordinator and
// sets its attempt timeout if a retry may follow.
func (w *world) sendAttempt(ci int) {
	cfg := w.m.cfg
	c := &w.cls[ci]
	stopNs := w.nowNs + cfg.AttemptTimeoutNs
	if c.deadline > 0 {
		stopNs = min(stopNs, c.deadline)
	}
	req := protocol.Request{ID: w.requestID(ci), Op: c.in, Token: c.token, TimeoutNs: stopNs - w.nowNs, Resolve: c.resolving}
	w.send(w.endpoint(ci), int32(c.coord), req)
	c.dueNs[ctAttempt] = 0
	if int(c.attempt) < cfg.Retries && (c.deadline == 0 || w.nowNs+cfg.AttemptTimeoutNs < c.deadline) {
		c.dueNs[ctAttempt] = w.nowNs + cfg.AttemptTimeoutNs
	}
}

// retry sends the next attempt to the next coordinator, if any is left.
func (w *world) retry(ci int) bool {
	c := &w.cls[ci]
	if int(c.attempt) >= w.m.cfg.Retries {
		return false
	}
	c.attempt++
	c.coord = (c.coord + 1) % w.m.cfg.Replicas
	w.sendAttempt(ci)
	return true
}

// onClientTimer fires client ci's timer of kind k.
func (w *world) onClientTimer(ci, k int) {
	cfg := w.m.cfg
	c := &w.cls[ci]
	c.dueNs[k] = 0
	switch k {
	case ctAttempt:
		w.retry(ci)
	case ctResolve:
		w.sendAttempt(ci)
	case ctDeadline:
		if c.resolving || !cfg.Resolve || c.in.Kind == model.Read {
			w.complete(ci, history.Info, protocol.Reply{})
			return
		}
		// Ask, after a grace period, whether the operation was applied.
		c.resolving, c.attempt = true, 0
		c.dueNs[ctAttempt] = 0
		c.deadline = w.nowNs + cfg.ResolveGraceNs + cfg.ResolveTimeoutNs
		c.dueNs[ctResolve] = w.nowNs + cfg.ResolveGraceNs
		c.dueNs[ctDeadline] = c.deadline
	}
}

// onReply handles a reply delivered to client ci; it reports whether the
// client took any notice.
func (w *world) onReply(ci int, r protocol.Reply) bool {
	c := &w.cls[ci]
	if int(r.ID>>48) != ci || !c.active || (r.ID>>16)&0xffffffff != uint64(c.next)&0xffffffff ||
		(r.ID&resolveBit != 0) != c.resolving {
		return false // a late answer to an operation, or a phase of it, already over
	}
	switch r.Status {
	case protocol.OK:
		w.complete(ci, history.Ok, r)
	case protocol.Unsupported:
		if c.resolving {
			w.complete(ci, history.Info, protocol.Reply{})
		} else {
			w.complete(ci, history.Fail, r)
		}
	case protocol.CompareFailed, protocol.NotApplied:
		w.complete(ci, history.Fail, r)
	case protocol.Unknown:
		if uint32(r.ID&attemptMask) != c.attempt {
			return false
		}
		return w.retry(ci)
	default:
		return false
	}
	return true
}

// staleReply reports whether message mm, delivered to client ci, would
// be ignored now and in every later state (see dropStale): anything but a
// reply; a reply to an operation over, or to a phase of it over (an
// attempt before the current one, an ordinary attempt while resolving);
// an Unknown once no retry is left (the attempt changes only by a retry,
// or by resolving, which makes the reply one of a phase over); a status
// the client does not know.
func (w *world) staleReply(ci int, mm protocol.Message) bool {
	r, ok := mm.(protocol.Reply)
	if !ok {
		return true
	}
	c := &w.cls[ci]
	if int(r.ID>>48) != ci || !c.active || (r.ID>>16)&0xffffffff != uint64(c.next)&0xffffffff {
		return true
	}
	if r.ID&resolveBit == 0 && c.resolving {
		return true
	}
	if r.ID&resolveBit != 0 && !c.resolving {
		return false // not sent yet, as far as the client knows: keep it
	}
	switch r.Status {
	case protocol.OK, protocol.Unsupported, protocol.CompareFailed, protocol.NotApplied:
		return false
	case protocol.Unknown:
		a := uint32(r.ID & attemptMask)
		return a < c.attempt || (a == c.attempt && int(c.attempt) >= w.m.cfg.Retries)
	}
	return true
}

// complete records how client ci's operation ended.
func (w *world) complete(ci int, t history.Type, r protocol.Reply) {
	m := w.m
	c := &w.cls[ci]
	in := c.in
	e := history.Event{Type: t, Process: c.process, F: in.Kind, Key: in.Key,
		Has: in.Kind != model.Read, Value: in.Value, Expected: in.Expected}
	o := &w.ops[c.op]
	o.typ = t
	switch t {
	case history.Ok:
		v := in.Value
		if in.Kind == model.Read {
			e.Has, e.Value, v = r.Has, r.Value, r.Value
			o.has, o.value = r.Has, r.Value
		}
		if e.Has {
			w.seen[ci*m.cfg.Keys+c.key] = known{true, v}
			w.last[c.key] = known{true, v}
		}
	case history.Fail:
		switch {
		case r.Status == protocol.CompareFailed:
		case c.resolving:
			e.Error = "resolved-" + r.Status.String()
		default:
			e.Error = r.Status.String()
		}
		o.errored = e.Error != ""
	}
	w.done |= 1 << uint(c.op)
	w.rehashHistory()
	w.record(e)
	c.active = false
	c.dueNs = [ctCount]int64{}
	if t == history.Info {
		// Jepsen's rule: the process of an indeterminate operation is
		// retired; the client goes on under a new one.
		c.process = w.procs
		w.procs++
	}
}
