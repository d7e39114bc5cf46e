package sim

import (
	"github.com/casimlab/casim/protocol"
)

// replica is one replica's runtime around its protocol state machine:
// durable storage, pending syncs, crash and pause state.
type replica struct {
	node      protocol.Node // nil while crashed
	downCount int           // active crash faults
	pauses    int           // active pause faults
	epoch     uint64        // bumped by each crash: older timers and syncs are void
	store     *store
	env       protocol.Env
	// held are the events that arrived while the replica was paused.
	held []event
	// syncs[syncHead:] are the handlers' effects waiting for their durable
	// writes, oldest first. Nothing leaves the replica before everything
	// that it wrote earlier is durable. The batches' slices are reused.
	syncs      []syncBatch
	syncHead   int
	lastSyncNs int64
	// dirty are the persists that periodic storage acknowledged and has
	// not flushed yet; flushPending says a flush is scheduled.
	dirty        []protocol.Record
	flushPending bool
	// crashAfterSync is the schedule index of a crash waiting for the next
	// sync to complete, or -1.
	crashAfterSync int
}

// syncBatch is one handler's durable writes and what may leave after them.
type syncBatch struct {
	persists []protocol.Record
	out      []outgoing
}

// outgoing is a message waiting to leave a replica, with its causality.
type outgoing struct {
	to    int32
	msg   protocol.Message
	cause int32
	depth uint16
}

func (r *replica) up() bool { return r.downCount == 0 }

func (r *replica) pendingSyncs() int { return len(r.syncs) - r.syncHead }

// newBatch appends a batch to the sync queue, reusing the slots (and their
// slices) of batches already completed.
func (r *replica) newBatch() *syncBatch {
	if r.syncHead == len(r.syncs) {
		r.syncs, r.syncHead = r.syncs[:0], 0
	}
	if len(r.syncs) < cap(r.syncs) {
		r.syncs = r.syncs[:len(r.syncs)+1]
	} else {
		r.syncs = append(r.syncs, syncBatch{})
	}
	return &r.syncs[len(r.syncs)-1]
}

// hold keeps e for later if r is paused, and says so.
func (r *replica) hold(e event) bool {
	if r.pauses == 0 {
		return false
	}
	r.held = append(r.held, e)
	return true
}

func (s *sim) deliverToReplica(e event) {
	r := &s.replicas[e.b]
	if !r.up() {
		s.stats.Dropped++
		s.trace(traceDrop, e.a, e.b, e.msg)
		return
	}
	if r.hold(e) {
		return
	}
	if s.capq != nil && s.admit(e) {
		return // queued or shed (capacity.go)
	}
	s.handle(e)
}

// handle runs replica e.b's handler for the message of e.
func (s *sim) handle(e event) {
	r := &s.replicas[e.b]
	s.trace(traceDeliver, e.a, e.b, e.msg)
	if m, ok := e.msg.(localRead); ok {
		s.serveLocalRead(e, m)
		return
	}
	s.prepareEnv(e.b, e)
	if req, ok := e.msg.(protocol.Request); ok {
		r.node.OnRequest(&r.env, protocol.ClientID(int(e.a)-s.cfg.Replicas), req.Arrive(r.env.NowNs)) // deadline on this replica's clock
	} else {
		r.node.OnMessage(&r.env, protocol.NodeID(e.a), e.msg)
	}
	if s.capq != nil {
		s.beginService(e.b)
	}
	s.apply(e.b)
	s.holdNs = 0
}

func (s *sim) fireTimer(e event) {
	r := &s.replicas[e.a]
	if !r.up() || r.epoch != e.n || r.hold(e) {
		return
	}
	s.traceTimer(e.a, e.timer)
	s.prepareEnv(e.a, e)
	r.node.OnTimer(&r.env, e.timer)
	s.apply(e.a)
}

// prepareEnv readies replica i's Env for a handler of event e: the local
// clock, the causality, and the random source keyed by the operation the
// handler works for (see rand.go).
func (s *sim) prepareEnv(i int32, e event) {
	r := &s.replicas[i]
	r.env.NowNs = s.clocks[i].read(s.nowNs)
	s.cause, s.depth = e.cause, e.depth
	opKey, index := uint64(1)<<63, uint64(s.stats.Events)
	if e.cause >= 0 {
		rec := &s.opRecs[e.cause]
		rec.handlers++
		opKey, index = rec.key, uint64(rec.handlers)
	}
	s.handlerRand.at(s.cfg.Seed, streamHandler<<48|uint64(i), opKey, index)
}

// apply carries out a handler's effects. Timers are set at once (they are
// volatile anyway). Durable writes take a sync delay, and the handler's
// messages and replies wait for it, as do those of any later handler
// while an earlier sync is pending.
func (s *sim) apply(i int32) {
	r := &s.replicas[i]
	env := &r.env
	for _, t := range env.Timers {
		s.schedule(event{atNs: s.nowNs + s.clocks[i].span(t.AfterNs), kind: evTimer, a: i, n: r.epoch, timer: t.Timer,
			cause: s.credit(t.For), depth: s.depth})
	}
	s.out = s.out[:0]
	for _, m := range env.Sends {
		s.out = append(s.out, outgoing{int32(m.To), m.Msg, s.credit(m.For), s.depth + 1})
	}
	for _, m := range env.Replies {
		// A reply works for the request it answers, whatever event let
		// the replica answer (one acknowledgement can let a primary
		// answer a whole batch).
		cause := s.requestOp(m.Reply.ID)
		if cause < 0 {
			cause = s.cause
		}
		s.out = append(s.out, outgoing{int32(s.cfg.Replicas + int(m.To)), m.Reply, cause, s.depth + 1})
	}
	st := s.cfg.Storage
	switch {
	case s.periodic:
		// Acknowledged before fsync: the messages leave now; the records
		// become durable at the next flush.
		if len(env.Persists) > 0 {
			r.dirty = append(r.dirty, env.Persists...)
			if !r.flushPending {
				r.flushPending = true
				s.schedule(event{atNs: s.nowNs + s.syncPeriodNs, kind: evFlush, a: i, n: r.epoch})
			}
		}
		s.release(i, s.out)
	case len(env.Persists) > 0 && st.SyncMaxNs > 0:
		at := max(s.nowNs+s.holdNs+between(env.Rand, st.SyncMinNs, st.SyncMaxNs), r.lastSyncNs)
		r.lastSyncNs = at
		b := r.newBatch()
		b.persists = append(b.persists[:0], env.Persists...)
		b.out = append(b.out[:0], s.out...)
		s.schedule(event{atNs: at, kind: evSync, a: i, n: r.epoch})
	case r.pendingSyncs() > 0:
		// Wait behind the pending sync.
		b := &r.syncs[len(r.syncs)-1]
		b.out = append(b.out, s.out...)
	default:
		s.persist(r, env.Persists)
		s.release(i, s.out)
	}
	env.Reset()
}

// completeSync makes the oldest pending batch durable and lets its
// messages go, unless a crash was waiting for exactly this moment.
func (s *sim) completeSync(e event) {
	r := &s.replicas[e.a]
	if !r.up() || r.epoch != e.n || r.pendingSyncs() == 0 || r.hold(e) {
		return // a paused node's sync completes when it resumes
	}
	b := &r.syncs[r.syncHead]
	r.syncHead++
	s.persist(r, b.persists)
	if r.crashAfterSync >= 0 {
		f := r.crashAfterSync
		r.crashAfterSync = -1
		s.crash(int(e.a), f)
		return
	}
	s.release(e.a, b.out)
}

// completeFlush makes periodic storage's unflushed records durable.
func (s *sim) completeFlush(e event) {
	r := &s.replicas[e.a]
	if !r.up() || r.epoch != e.n || r.hold(e) {
		return
	}
	s.persist(r, r.dirty)
	clear(r.dirty)
	r.dirty, r.flushPending = r.dirty[:0], false
}

func (s *sim) persist(r *replica, records []protocol.Record) {
	for _, p := range records {
		r.store.records[p.Key] = p.Value
	}
}

func (s *sim) release(i int32, out []outgoing) {
	for _, m := range out {
		s.cause, s.depth = m.cause, m.depth-1
		s.send(i, m.to, m.msg)
	}
}

// crash stops replica n: its volatile state, pending syncs and held
// events are gone.
func (s *sim) crash(n, fault int) {
	r := &s.replicas[n]
	if r.downCount == 0 {
		r.node = nil
		r.epoch++
		r.syncs, r.syncHead, r.held = r.syncs[:0], 0, nil
		r.dirty, r.flushPending = nil, false // the unflushed tail is lost
		r.env.Reset()
		s.dropQueue(n)
		s.traceNote(traceCrash, int32(n), "")
	}
	r.downCount++
	s.crashed[fault] = true
}

func (s *sim) restart(n int) {
	r := &s.replicas[n]
	r.downCount--
	if r.downCount == 0 {
		r.node = s.proto.New(r.env.Config, r.store)
		s.traceNote(traceRestart, int32(n), "")
	}
}

// resume lets a paused replica handle what arrived meanwhile, in order.
func (s *sim) resume(n int) {
	r := &s.replicas[n]
	r.pauses--
	if r.pauses > 0 {
		return
	}
	held := r.held
	r.held = nil
	for _, e := range held {
		e.atNs = s.nowNs
		s.schedule(e)
	}
}

// credit is the operation (an index into opRecs, or -1) that an effect
// of the running handler works for, as the protocol said (protocol.Serves).
func (s *sim) credit(f protocol.Serves) int32 {
	if f.None() {
		return -1
	}
	if id, ok := f.Request(); ok {
		return s.requestOp(id)
	}
	return s.cause
}

// requestOp is the operation whose request has this ID, or -1. Request
// IDs carry the slot and the slot's operation number (see requestID).
func (s *sim) requestOp(id uint64) int32 {
	slot := id >> 48
	if slot >= uint64(len(s.slots)) {
		return -1
	}
	sl := &s.slots[slot]
	seq := (id >> 16) & 0xffffffff
	if seq == 0 || seq > uint64(len(sl.ops)) {
		return -1
	}
	return sl.ops[seq-1]
}
