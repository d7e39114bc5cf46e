package sim

import (
	"math/rand/v2"
	"slices"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// Clients model the client library of Netflix's KeyValue abstraction: an
// idempotency token per operation, a deadline, retries at other
// coordinators with backoff, hedged requests, load balancing, and
// (optionally) resolving reads. A client is one network endpoint running
// up to Concurrency operations at once; each concurrent operation slot is
// a process of the history.

// client timer kinds
const (
	ctStart          = iota // invoke the slot's next operation
	ctAttemptTimeout        // the current attempt got no answer in time
	ctRetry                 // backoff over: send the next attempt
	ctHedge                 // hedging delay over: send a second copy
	ctDeadline              // the operation's (or its resolution's) deadline passed
	ctResolve               // grace over: ask whether the operation was applied
	ctDegrade               // half-way to a read's deadline: ask one replica (degrade.go)
)

// Request IDs pack the slot, the operation, the phase and the attempt, so
// a reply finds its way back and stale replies are recognised.
const (
	resolveBit  = 1 << 15
	attemptMask = resolveBit - 1
)

// client is one client library: what its concurrent operations share.
type client struct {
	idx    int
	ep     int32 // network endpoint
	rand   *rand.Rand
	plan   []int // indexes of the operations to run, in order
	pins   []Pin // of each planned operation, or nil
	issued int   // operations invoked so far, across slots
	rr     int   // round-robin cursor
	// outstanding counts attempts in flight per replica, for the
	// least-outstanding balancer.
	outstanding []int
	// latenciesNs is a ring of recent successful latencies, for p99
	// hedging.
	latenciesNs []int64
	latencyNext int
	sortedNs    []int64 // scratch for the p99, reused
	// hedges counts the hedged copies sent, held to a budget.
	hedges int
	// lastTokenNs is the time of the client's latest token.
	lastTokenNs int64
	// down counts the active crashes of the client process; parked are
	// its slots waiting for it to start again.
	down   int
	parked []*slot

	// Open loop and budgets (openloop.go): the arrival stream, idle
	// slots, operations in flight, the adaptive limit, retries sent.
	arrivals *rand.Rand
	idle     []int
	inflight int
	limit    float64
	retries  int
	// longRttNs is the gradient limit's long-term average latency.
	longRttNs float64
}

// hedgeBudgetRatio caps hedged copies at this share of a client's
// operations, as "The Tail at Scale" advises: unbudgeted, hedges add load
// exactly when the system is slow, and under contention every operation
// hedges (casim saw paxos livelock that way in swarm runs).
const hedgeBudgetRatio = 0.05

// slot is one concurrent operation of a client: a history process.
type slot struct {
	id      int // index in sim.slots
	c       *client
	process int        // renewed after an indeterminate operation
	op      int32      // index of the current operation in sim.opRecs
	rand    *rand.Rand // the current operation's own stream
	opRand  keyed      // its source, reseeded for each operation
	depth   uint16     // hops from the request to the answer that ended it
	// ops[q-1] is the operation (an index into sim.opRecs) the slot ran
	// as its q-th: what a request ID's sequence number names.
	ops []int32
	// attemptNs is the current operation's attempt timeout
	// (Workload.ShortAttemptTimeoutNs for a short-deadline one).
	attemptNs int64
	// contended: the operation needed more than one attempt or a hedge;
	// its path says nothing about the uncontended cost.
	contended bool

	active    bool
	seq       uint64
	opIndex   int // the client's operation number
	key       int // index of in.Key
	in        model.Input
	token     protocol.Token
	invokeNs  int64
	deadline  int64 // simulated time
	attempt   uint32
	coord     int
	sentTo    []int // replicas with an attempt in flight (for least-outstanding)
	resolving bool
	// sends counts the requests sent for the operation, sheds the
	// distinct "overloaded" answers (openloop.go); limited: the adaptive
	// limit refused the operation before it was sent.
	sends   int
	sheds   []shedKey
	limited bool
	// Degradation (degrade.go): a replica's local answer, held for the
	// deadline; degraded: the operation was answered so.
	local    known
	hasLocal bool
	degraded bool
}

// known is the last value a client saw of a key: the expected value of
// its next cas on that key.
type known struct {
	has bool
	v   int64
}

func (s *sim) startOp(sl *slot) {
	c := sl.c
	if c.down > 0 {
		c.parked = append(c.parked, sl)
		return
	}
	if c.issued >= len(c.plan) {
		s.slotsLeft--
		return
	}
	var pin Pin
	if c.pins != nil {
		pin = c.pins[c.issued]
	}
	// An open loop's arrivals come from their own stream: a pinned invoke
	// time would hold a slot the next arrival cannot see.
	if pin.NotBeforeNs > s.nowNs && !s.cfg.Capacity.OpenLoop() {
		s.slotTimer(sl, ctStart, pin.NotBeforeNs)
		return
	}
	sl.opIndex = c.plan[c.issued]
	c.issued++
	sl.seq++
	// Each operation's choices come from its own stream, so that removing
	// one operation does not change the others.
	opKey := uint64(c.idx)<<32 | uint64(sl.opIndex)
	r := sl.opRand.rederive(s.cfg.Seed, streamOp, opKey)
	sl.rand = r
	key := s.drawKey(r)
	w := s.cfg.Workload
	in := model.Input{Kind: s.drawKind(r), Key: s.keys[key]}
	switch in.Kind {
	case model.Write, model.Cas:
		// By default every write and cas writes a value never written
		// before, so that a read names the write it saw; a value domain
		// makes values recur.
		in.Value = int64(sl.opIndex)*int64(s.cfg.Clients) + int64(c.idx) + 1
		if w.ValueDomain > 0 {
			in.Value = 1 + r.Int64N(int64(w.ValueDomain))
		}
	}
	if in.Kind == model.Cas {
		k := s.seen[c.idx*s.cfg.Keys+key]
		if !k.has {
			k = s.latest[key]
		}
		in.Expected = k.v
		if w.StaleCasRatio > 0 && r.Float64() < w.StaleCasRatio {
			// Stale or never written: from the domain, or among the
			// unique values up to a little past this operation's own.
			span := int64(sl.opIndex+2) * int64(s.cfg.Clients)
			if w.ValueDomain > 0 {
				span = int64(w.ValueDomain) + 1
			}
			in.Expected = 1 + r.Int64N(span)
		}
		if pin.Expected != nil {
			in.Expected = *pin.Expected
		}
	}
	deadlineNs := s.cfg.Client.DeadlineNs
	sl.attemptNs = s.cfg.Client.AttemptTimeoutNs
	if w.ShortDeadlineRatio > 0 && r.Float64() < w.ShortDeadlineRatio && s.nowNs < s.healNs {
		deadlineNs = w.ShortDeadlineNs
		if w.ShortAttemptTimeoutNs > 0 {
			sl.attemptNs = w.ShortAttemptTimeoutNs
		}
	}
	sl.active, sl.key, sl.in, sl.invokeNs, sl.attempt, sl.resolving = true, key, in, s.nowNs, 0, false
	sl.op, sl.depth, sl.contended = int32(len(s.opRecs)), 0, false
	sl.ops = append(sl.ops, sl.op)
	sl.sends, sl.sheds = 0, sl.sheds[:0]
	sl.hasLocal, sl.degraded = false, false
	s.opRecs = append(s.opRecs, opRec{key: opKey, kind: in.Kind})
	s.opInvokes = append(s.opInvokes, len(s.history))
	s.opInfos = append(s.opInfos, OpInfo{Client: c.idx, Index: sl.opIndex, InvokeNs: s.nowNs, Input: in})
	s.cause = sl.op
	if s.waiting == 0 {
		s.waitFromNs = s.nowNs
	}
	s.waiting++
	sl.deadline = s.nowNs + deadlineNs
	sl.token = s.newToken(sl, r)
	s.record(history.Event{Type: history.Invoke, Process: sl.process, F: in.Kind, Key: in.Key,
		Has: in.Kind != model.Read, Value: in.Value, Expected: in.Expected})
	s.traceOp(traceInvoke, c.ep, in, "", model.Output{Status: model.Unknown})
	if sl.limited {
		s.complete(sl, history.Fail, protocol.Reply{Status: protocol.Overloaded})
		return
	}
	sl.coord = s.pickCoordinator(sl, -1)
	s.sendAttempt(sl)
	s.slotTimer(sl, ctDeadline, sl.deadline)
	if s.cfg.Client.Hedge != HedgeOff && s.cfg.Replicas > 1 {
		s.slotTimer(sl, ctHedge, s.nowNs+s.hedgeDelay(c))
	}
	if s.cfg.Capacity.Degrade == DegradeOne && in.Kind == model.Read {
		s.slotTimer(sl, ctDegrade, s.nowNs+s.cfg.Client.DeadlineNs/2)
	}
}

// newToken makes an idempotency token from the client's own clock. Token
// times never go back, even when the clock steps back: the protocols'
// token windows keep a per-client mark of evicted token times, and a new
// token at or below it would be "unknown" until the clock caught up.
func (s *sim) newToken(sl *slot, r *rand.Rand) protocol.Token {
	c := sl.c
	c.lastTokenNs = max(s.clocks[c.ep].read(s.nowNs), c.lastTokenNs+1)
	return protocol.Token{TimeNs: c.lastTokenNs, Nonce: r.Uint64()}
}

func (s *sim) drawKind(r *rand.Rand) model.Kind {
	mix := [3]float64{s.cfg.Mix.ReadRatio, s.cfg.Mix.WriteRatio, s.cfg.Mix.CasRatio}
	total := 0.0
	for k := range mix {
		if !s.proto.Supports(model.Kind(k)) {
			mix[k] = 0
		}
		total += mix[k]
	}
	x := r.Float64() * total
	for k, w := range mix {
		if x < w {
			return model.Kind(k)
		}
		x -= w
	}
	return s.proto.Ops[0]
}

// pickCoordinator chooses a replica other than avoid (-1: any).
func (s *sim) pickCoordinator(sl *slot, avoid int) int {
	c, r := sl.c, sl.rand
	R := s.cfg.Replicas
	if R == 1 {
		return 0
	}
	if t := s.cfg.Topology; t != nil {
		return s.pickNear(sl, t, avoid)
	}
	switch s.cfg.Client.Balancer {
	case KeyAffinity:
		home := int(mix64(uint64(sl.key)) % uint64(R))
		if home != avoid {
			return home
		}
	case RoundRobin:
		c.rr = (c.rr + 1) % R
		if c.rr == avoid {
			c.rr = (c.rr + 1) % R
		}
		return c.rr
	case LeastOutstanding:
		best, bestN := -1, 0
		start := r.IntN(R) // ties go to a random replica
		for j := range R {
			i := (start + j) % R
			if i != avoid && (best < 0 || c.outstanding[i] < bestN) {
				best, bestN = i, c.outstanding[i]
			}
		}
		return best
	}
	if avoid < 0 {
		return r.IntN(R)
	}
	return (avoid + 1 + r.IntN(R-1)) % R
}

// pickNear chooses a coordinator as a DC-aware driver does: a replica in
// the client's own region (in its own zone first if the topology is zone
// aware), other than avoid; a replica elsewhere only when the region has
// none left.
func (s *sim) pickNear(sl *slot, t *Topology, avoid int) int {
	ep := int(sl.c.ep)
	var local, zone []int
	for i := range s.cfg.Replicas {
		if i == avoid || s.place.region[i] != s.place.region[ep] {
			continue
		}
		local = append(local, i)
		if s.place.zone[i] == s.place.zone[ep] {
			zone = append(zone, i)
		}
	}
	switch {
	case t.ZoneAware && len(zone) > 0:
		return zone[sl.rand.IntN(len(zone))]
	case len(local) > 0:
		return local[sl.rand.IntN(len(local))]
	}
	R := s.cfg.Replicas
	if avoid < 0 {
		return sl.rand.IntN(R)
	}
	return (avoid + 1 + sl.rand.IntN(R-1)) % R
}

func (sl *slot) requestID() uint64 {
	id := uint64(sl.id)<<48 | (sl.seq&0xffffffff)<<16 | uint64(sl.attempt&attemptMask)
	if sl.resolving {
		id |= resolveBit
	}
	return id
}

func (s *sim) sendAttempt(sl *slot) {
	s.sendTo(sl, sl.coord)
	s.slotTimer(sl, ctAttemptTimeout, s.nowNs+sl.attemptNs)
}

func (s *sim) sendTo(sl *slot, coord int) {
	c := sl.c
	// The coordinator may work on the request only while the client waits
	// for this attempt: a coordinator that went on until the operation's
	// deadline would leave a trail of zombie proposers behind every retry,
	// duelling for the key (casim saw Paxos livelock for 400ms that way).
	stopNs := min(sl.deadline, s.nowNs+sl.attemptNs)
	req := protocol.Request{ID: sl.requestID(), Op: sl.in, Token: sl.token,
		TimeoutNs: stopNs - s.nowNs, Resolve: sl.resolving, Stream: uint32(sl.id)}
	c.outstanding[coord]++
	sl.sends++
	sl.sentTo = append(sl.sentTo, coord)
	s.cause, s.depth = sl.op, 0
	s.send(c.ep, int32(coord), req)
}

// settle forgets the slot's attempts in flight.
func (sl *slot) settle() {
	for _, r := range sl.sentTo {
		sl.c.outstanding[r]--
	}
	sl.sentTo = sl.sentTo[:0]
}

func (s *sim) slotTimer(sl *slot, kind int32, atNs int64) {
	s.schedule(event{atNs: atNs, kind: evClient, a: int32(sl.id), b: kind, n: sl.seq, m: sl.attempt, cause: sl.op})
}

func (s *sim) onSlotTimer(sl *slot, kind int32, seq uint64, attempt uint32) {
	if kind == ctStart {
		s.startOp(sl)
		return
	}
	if !sl.active || seq != sl.seq {
		return // the operation is over
	}
	cl := s.cfg.Client
	switch kind {
	case ctDeadline:
		s.traceOp(traceDeadlineMiss, sl.c.ep, sl.in, "", model.Output{Status: model.Unknown})
		if v, ok := s.degradedAnswer(sl); ok {
			s.completeDegraded(sl, v)
			return
		}
		if !sl.resolving && sl.definitelyShed() {
			s.complete(sl, history.Fail, protocol.Reply{Status: protocol.Overloaded})
			return
		}
		if sl.resolving || !cl.Resolve || sl.in.Kind == model.Read {
			s.complete(sl, history.Info, protocol.Reply{})
			return
		}
		// Ask, after a grace period, whether the operation was applied.
		// Nothing more is sent for the operation itself.
		sl.settle()
		sl.resolving, sl.attempt = true, 0
		sl.deadline = s.nowNs + cl.ResolveGraceNs + cl.ResolveTimeoutNs
		s.slotTimer(sl, ctResolve, s.nowNs+cl.ResolveGraceNs)
		s.slotTimer(sl, ctDeadline, sl.deadline)
	case ctResolve:
		s.sendAttempt(sl)
	case ctDegrade:
		s.sendLocalRead(sl)
	case ctAttemptTimeout:
		if attempt == sl.attempt {
			s.backoff(sl)
		}
	case ctHedge:
		if attempt == sl.attempt && !sl.resolving && float64(sl.c.hedges) < 1+hedgeBudgetRatio*float64(sl.c.issued) {
			sl.c.hedges++
			s.stats.Hedges++
			sl.contended = true
			if s.proto.Client.FreshTokenOnRetry {
				// A client library that retries blindly hedges blindly too.
				sl.token = s.newToken(sl, sl.rand)
			}
			s.sendTo(sl, s.pickCoordinator(sl, sl.coord))
		}
	case ctRetry:
		if attempt == sl.attempt && s.retryAllowed(sl.c) {
			// (The budget is checked again: other operations of the client
			// may have spent it during the backoff. A resolving read is held
			// to it too: one it stops leaves its operation indeterminate,
			// which is always safe, and unbudgeted resolves are the same
			// retry storm under overload.)
			sl.attempt++
			sl.contended = true
			sl.coord = s.pickCoordinator(sl, sl.coord)
			if s.proto.Client.FreshTokenOnRetry && !sl.resolving {
				sl.token = s.newToken(sl, sl.rand)
			}
			s.stats.Retries++
			sl.c.retries++
			s.sendAttempt(sl)
		}
	}
}

// backoff schedules the next attempt after an exponential backoff with
// full jitter, unless retries are off or it would start past the deadline.
func (s *sim) backoff(sl *slot) {
	cl := s.cfg.Client
	if (!sl.resolving && !cl.Retry && sl.invokeNs < s.healNs) || !s.retryAllowed(sl.c) {
		// Retries off is a fault of the client library, like the network's:
		// the liveness phase runs the production client, which retries.
		return
	}
	capNs := min(cl.BackoffBaseNs<<min(sl.attempt, 20), cl.BackoffMaxNs)
	at := s.nowNs + 1 + sl.rand.Int64N(capNs)
	if at < sl.deadline {
		s.slotTimer(sl, ctRetry, at)
	}
}

func (s *sim) onReply(c *client, r protocol.Reply, depth uint16) {
	id := int(r.ID >> 48)
	if id >= len(s.slots) || s.slots[id].c != c {
		return
	}
	sl := &s.slots[id]
	if !sl.active || (r.ID>>16)&0xffffffff != sl.seq&0xffffffff || (r.ID&resolveBit != 0) != sl.resolving {
		return // a late answer to an operation, or a phase of it, already over
	}
	sl.depth = depth
	switch r.Status {
	case protocol.OK:
		s.complete(sl, history.Ok, r)
	case protocol.Unsupported:
		if sl.resolving {
			// A resolving read the protocol cannot answer says nothing
			// about the operation: it stays indeterminate.
			s.complete(sl, history.Info, protocol.Reply{})
			return
		}
		s.complete(sl, history.Fail, r)
	case protocol.CompareFailed, protocol.NotApplied:
		s.complete(sl, history.Fail, r)
	case protocol.Unknown:
		if uint32(r.ID&attemptMask) == sl.attempt {
			s.backoff(sl)
		}
	}
}

// complete records how the slot's operation ended and schedules its next.
func (s *sim) complete(sl *slot, t history.Type, r protocol.Reply) {
	in, c := sl.in, sl.c
	e := history.Event{Type: t, Process: sl.process, F: in.Kind, Key: in.Key,
		Has: in.Kind != model.Read, Value: in.Value, Expected: in.Expected, Degraded: sl.degraded}
	ks := &s.stats.Kinds[in.Kind]
	ks.Count++
	switch t {
	case history.Ok:
		if sl.resolving {
			s.stats.Resolved++
		} else if !sl.contended {
			s.opRecs[sl.op].depth = sl.depth
		}
		s.stats.OK++
		ks.OK++
		lat := s.nowNs - sl.invokeNs
		ks.LatenciesNs = append(ks.LatenciesNs, lat)
		if !sl.resolving {
			c.noteLatency(lat)
		}
		v := in.Value
		if in.Kind == model.Read {
			e.Has, e.Value, v = r.Has, r.Value, r.Value
		}
		if e.Has {
			s.seen[c.idx*s.cfg.Keys+sl.key] = known{true, v}
			s.latest[sl.key] = known{true, v}
		}
	case history.Fail:
		s.stats.Fail++
		switch {
		case r.Status == protocol.CompareFailed:
		case sl.resolving:
			e.Error = "resolved-" + r.Status.String()
		default:
			e.Error = r.Status.String()
		}
		if sl.limited {
			e.Error = "limited"
		}
		if e.Error != "" && sl.invokeNs >= s.healNs && s.unavailable == "" && !s.cfg.Capacity.OpenLoop() {
			s.unavailable = "an operation invoked after the faults healed failed (" + e.Error + "): " +
				model.Describe(in, model.Output{Status: model.Unknown})
		}
	case history.Info:
		s.stats.Info++
		if sl.invokeNs >= s.healNs && s.stuck == "" && !s.cfg.Capacity.OpenLoop() {
			s.stuck = "an operation invoked after the faults healed ended indeterminate: " +
				model.Describe(in, model.Output{Status: model.Unknown})
		}
	}
	if (t == history.Ok || r.Status == protocol.CompareFailed) && !sl.resolving && s.nowNs-sl.invokeNs <= s.cfg.Client.DeadlineNs {
		s.stats.OKInTime++ // goodput, beside noteCompletion's availability
	} else {
		s.stats.LastMissNs = max(s.stats.LastMissNs, sl.invokeNs)
	}
	s.record(e)
	s.noteCompletion(sl, t)
	out := model.Output{Has: r.Has, Value: r.Value}
	if r.Status == protocol.CompareFailed {
		out.Status = model.CompareFailed
	}
	s.traceOp(traceComplete, c.ep, in, t.String(), out)
	sl.active = false
	sl.settle()
	if s.cfg.Capacity.OpenLoop() {
		if t == history.Info {
			sl.process = s.nextProcess
			s.nextProcess++
		}
		s.openDone(sl, t, r)
		return
	}
	if t == history.Info {
		// Jepsen's rule: a process whose operation is indeterminate is
		// retired; the client goes on under a new process.
		sl.process = s.nextProcess
		s.nextProcess++
	}
	s.slotTimer(sl, ctStart, s.nowNs+between(sl.rand, 0, s.cfg.Client.ThinkMaxNs))
}

// crashClient kills client ci's process: what it has in flight ends
// indeterminate, for good; nothing of it is retried or resolved.
func (s *sim) crashClient(ci int) {
	c := &s.clients[ci]
	c.down++
	if c.down > 1 {
		return
	}
	s.traceNote(traceCrash, c.ep, "client")
	for i := range s.slots {
		if sl := &s.slots[i]; sl.c == c && sl.active {
			s.cause = sl.op // the completion is the operation's own
			s.complete(sl, history.Info, protocol.Reply{})
		}
	}
}

// restartClient starts client ci's process again, knowing nothing of the
// values it saw before.
func (s *sim) restartClient(ci int) {
	c := &s.clients[ci]
	c.down--
	if c.down > 0 {
		return
	}
	s.traceNote(traceRestart, c.ep, "client")
	clear(s.seen[ci*s.cfg.Keys : (ci+1)*s.cfg.Keys])
	for _, sl := range c.parked {
		s.slotTimer(sl, ctStart, s.nowNs)
	}
	c.parked = c.parked[:0]
}

// noteLatency keeps the last 128 latencies for p99 hedging.
func (c *client) noteLatency(ns int64) {
	if len(c.latenciesNs) < 128 {
		c.latenciesNs = append(c.latenciesNs, ns)
		return
	}
	c.latenciesNs[c.latencyNext] = ns
	c.latencyNext = (c.latencyNext + 1) % len(c.latenciesNs)
}

// hedgeDelay is how long to wait before a second copy: fixed, or the
// running p99 once there are enough samples. A p99 hedge waits at most
// half the attempt timeout: past that the retry comes first and the hedge
// never goes (casim compare found p99 hedging silent for that reason).
func (s *sim) hedgeDelay(c *client) int64 {
	cl := s.cfg.Client
	if cl.Hedge != HedgeP99 {
		return cl.HedgeDelayNs
	}
	d := cl.HedgeDelayNs
	if len(c.latenciesNs) >= 20 {
		c.sortedNs = append(c.sortedNs[:0], c.latenciesNs...)
		slices.Sort(c.sortedNs)
		d = c.sortedNs[len(c.sortedNs)*99/100]
	}
	return min(d, cl.AttemptTimeoutNs/2)
}

func (s *sim) record(e history.Event) {
	e.TimeNs = s.nowNs
	s.history = append(s.history, e)
}

// noteCompletion keeps the availability figures (Stats.InTime,
// Stats.MaxStallNs).
func (s *sim) noteCompletion(sl *slot, t history.Type) {
	answered := t != history.Info
	if answered && !sl.resolving && s.nowNs-sl.invokeNs <= s.cfg.Client.DeadlineNs {
		s.stats.InTime++
	}
	s.stats.MaxStallNs = max(s.stats.MaxStallNs, s.nowNs-s.waitFromNs)
	if answered {
		s.waitFromNs = s.nowNs
	}
	s.waiting--
}
