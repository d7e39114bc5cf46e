package explore

import (
	"fmt"
	"slices"

	"github.com/casimlab/casim/protocol"
)

// ChoiceKind is what a step of the search does.
type ChoiceKind uint8

// The choices. Deliver and Dup name a message in flight, Timer a
// replica's timer and ClientTimer a client's, by their hashes; Invoke a
// client; Crash a replica.
const (
	Deliver ChoiceKind = iota
	Dup
	Timer
	ClientTimer
	Invoke
	Crash
	// Lose is a message never delivered. The exact search has no need of
	// it (a message can stay in flight for ever); delay bounding does, as
	// a deviation that clears the head of the default schedule.
	Lose
)

var choiceNames = [...]string{"deliver", "dup", "timer", "client-timer", "invoke", "crash", "lose"}

func (k ChoiceKind) String() string { return choiceNames[k] }

// Choice is one step: the event that happens next.
type Choice struct {
	Kind ChoiceKind
	// Hash names the message or timer (Deliver, Dup, Timer).
	Hash uint64
	// N is the client (ClientTimer, Invoke) or the replica (Crash); for
	// ClientTimer, Sub is the timer kind.
	N, Sub int
}

// choices lists the steps w can take, in a canonical order (by kind, then
// hash or index), without repeats: two copies of the same message are one
// choice.
func (w *world) choices(out []Choice) []Choice {
	out = out[:0]
	cfg := w.m.cfg
	start := len(out)
	for _, m := range w.msgs {
		out = append(out, Choice{Kind: Deliver, Hash: m.hash})
	}
	if cfg.Dups > w.dups {
		for _, m := range w.msgs {
			if m.copyNo < 255 {
				out = append(out, Choice{Kind: Dup, Hash: m.hash})
			}
		}
	}
	// A replica's timers fire in the order they fall due (ties by hash).
	for i := range w.reps {
		if cfg.NoReplicaTimers {
			break
		}
		best := -1
		for j, t := range w.tims {
			if int(t.node) == i && (best < 0 || t.dueNs < w.tims[best].dueNs ||
				(t.dueNs == w.tims[best].dueNs && t.hash < w.tims[best].hash)) {
				best = j
			}
		}
		if best >= 0 {
			out = append(out, Choice{Kind: Timer, Hash: w.tims[best].hash})
		}
	}
	slices.SortFunc(out[start:], func(a, b Choice) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		switch {
		case a.Hash < b.Hash:
			return -1
		case a.Hash > b.Hash:
			return 1
		}
		return 0
	})
	out = slices.Compact(out)
	for ci := range w.cls {
		if k := w.cls[ci].nextTimer(); k >= 0 {
			out = append(out, Choice{Kind: ClientTimer, N: ci, Sub: k})
		}
	}
	for ci := range w.cls {
		if c := &w.cls[ci]; !c.active && c.next < len(w.m.plans[ci]) && w.symmetryAllows(ci) {
			out = append(out, Choice{Kind: Invoke, N: ci})
		}
	}
	if cfg.Crashes > w.crash {
		for i := range w.reps {
			out = append(out, Choice{Kind: Crash, N: i})
		}
	}
	if cfg.Delays >= 0 {
		n := len(out)
		for _, ch := range out[:n] {
			if ch.Kind == Deliver {
				out = append(out, Choice{Kind: Lose, Hash: ch.Hash})
			}
		}
	}
	return out
}

// outcome is what a step did.
type outcome struct {
	// noop: the step changed nothing but the message or timer it used up
	// (and not the clock). Its successor is the predecessor less one
	// message in flight, which the predecessor already covers: a message
	// can stay in flight for ever.
	noop bool
	// completed: an operation completed, so the history must be checked.
	completed bool
	// node is the replica whose handler ran (-1: none).
	node int
}

// apply takes step ch in w, which the caller owns.
func (w *world) apply(ch Choice) (outcome, error) {
	out := outcome{node: -1}
	switch ch.Kind {
	case Lose:
		i := slices.IndexFunc(w.msgs, func(m msg) bool { return m.hash == ch.Hash })
		if i < 0 {
			return out, fmt.Errorf("no message %016x in flight", ch.Hash)
		}
		w.msgs = slices.Delete(w.msgs, i, i+1)
	case Deliver, Dup:
		i := slices.IndexFunc(w.msgs, func(m msg) bool { return m.hash == ch.Hash })
		if i < 0 {
			return out, fmt.Errorf("no message %016x in flight", ch.Hash)
		}
		m := w.msgs[i]
		if ch.Kind == Dup {
			w.dups++
			w.msgs = append(w.msgs, w.newMsg(m.from, m.to, m.m, m.copyNo+1, m.earliestNs))
			return out, nil
		}
		w.msgs = slices.Delete(w.msgs, i, i+1)
		before := w.nowNs
		w.nowNs = max(w.nowNs, m.earliestNs)
		R := int32(w.m.cfg.Replicas)
		if m.to >= R {
			ci := int(m.to - R)
			r, ok := m.m.(protocol.Reply)
			done := len(w.hist)
			if !ok || !w.onReply(ci, r) {
				out.noop = true
			}
			out.completed = len(w.hist) > done
			return out, nil
		}
		out.node = int(m.to)
		out.noop = w.handle(int(m.to), m.hash, func(n protocol.Node, env *protocol.Env) {
			if req, ok := m.m.(protocol.Request); ok {
				req.DeadlineNs = env.NowNs + req.TimeoutNs
				n.OnRequest(env, protocol.ClientID(m.from-R), req)
				return
			}
			n.OnMessage(env, protocol.NodeID(m.from), m.m)
		})
		out.noop = out.noop && w.nowNs == before
	case Timer:
		i := slices.IndexFunc(w.tims, func(t rtimer) bool { return t.hash == ch.Hash })
		if i < 0 {
			return out, fmt.Errorf("no timer %016x pending", ch.Hash)
		}
		t := w.tims[i]
		w.tims = slices.Delete(w.tims, i, i+1)
		before := w.nowNs
		w.nowNs = max(w.nowNs, t.dueNs)
		out.node = int(t.node)
		noop := w.handle(int(t.node), t.hash, func(n protocol.Node, env *protocol.Env) { n.OnTimer(env, t.t) })
		out.noop = noop && w.nowNs == before
	case ClientTimer:
		c := &w.cls[ch.N]
		if ch.N >= len(w.cls) || c.nextTimer() != ch.Sub {
			return out, fmt.Errorf("client %d has no %s timer next", ch.N, clientTimerNames[ch.Sub])
		}
		w.nowNs = max(w.nowNs, c.dueNs[ch.Sub])
		done := len(w.hist)
		w.onClientTimer(ch.N, ch.Sub)
		out.completed = len(w.hist) > done
	case Invoke:
		if ch.N >= len(w.cls) || w.cls[ch.N].active || w.cls[ch.N].next >= len(w.m.plans[ch.N]) {
			return out, fmt.Errorf("client %d cannot invoke", ch.N)
		}
		w.invoke(ch.N)
	case Crash:
		if ch.N >= len(w.reps) || w.crash >= w.m.cfg.Crashes {
			return out, fmt.Errorf("no crash of replica %d allowed", ch.N)
		}
		w.crash++
		old := w.reps[ch.N]
		r := &replica{store: old.store, epoch: old.epoch + 1}
		r.node = w.m.cfg.Protocol.New(w.m.nodeConfig(ch.N), r.store)
		r.rehash(w.m)
		w.reps[ch.N] = r
		w.tims = slices.DeleteFunc(w.tims, func(t rtimer) bool { return int(t.node) == ch.N })
		out.node = ch.N
	}
	w.retire()
	w.dropStale()
	return out, nil
}

// dropStale removes the messages in flight that can no longer change
// anything: to a replica whose protocol.Staleness says so, or to a client
// that will never take notice (staleReply). Such a message is one the
// network may as well have lost, and a state with it covers no more than
// the state without it, so keeping it only splits states: the third
// promise of a round that had its quorum, left over from one replica or
// another, made three states of one (paxos with one client of one write:
// 15,340 states kept, 918 dropped). A message whose delivery would move the
// clock is kept: delivering it is then a step of its own (time passes).
func (w *world) dropStale() {
	if w.m.cfg.unreduced {
		return
	}
	R := int32(w.m.cfg.Replicas)
	w.msgs = slices.DeleteFunc(w.msgs, func(m msg) bool {
		if m.earliestNs > w.nowNs {
			return false
		}
		if m.to >= R {
			return w.staleReply(int(m.to-R), m.m)
		}
		s, ok := w.reps[m.to].node.(protocol.Staleness)
		if !ok {
			return false
		}
		if s.Stale(protocol.NodeID(m.from), m.m) {
			return true
		}
		if m.from >= R || !s.AnswersOnly(protocol.NodeID(m.from), m.m) {
			return false
		}
		f, ok := w.reps[m.from].node.(protocol.Staleness)
		return ok && f.Ignores(protocol.NodeID(m.to), m.m)
	})
}

// handle runs a handler of replica i on a copy of its node, with the
// randomness of this replica, incarnation and input, and applies its
// effects. It reports whether the handler did nothing at all.
func (w *world) handle(i int, input uint64, run func(protocol.Node, *protocol.Env)) (noop bool) {
	m := w.m
	old := w.reps[i]
	r := &replica{node: old.node, store: old.store, epoch: old.epoch, retired: old.retired}
	if !m.inPlace {
		r.node = cloneNode(old.node, m.cfg.unreduced)
	}
	env := &m.env
	env.Reset()
	env.Config = m.nodeConfig(i)
	env.NowNs = w.nowNs
	// The random draws are a function of the replica, its incarnation and
	// the input, so that states reached in different orders draw alike.
	m.pcg.Seed(hashWords(uint64(i), uint64(r.epoch), input), 0x9e3779b97f4a7c15)
	run(r.node, env)
	if len(env.Persists) > 0 {
		s := make(store, len(r.store)+len(env.Persists))
		for k, v := range r.store {
			s[k] = v
		}
		for _, p := range env.Persists {
			s[p.Key] = p.Value
		}
		r.store = s
	}
	for _, s := range env.Sends {
		w.send(int32(i), int32(s.To), s.Msg)
	}
	for _, rep := range env.Replies {
		w.send(int32(i), w.endpoint(int(rep.To)), rep.Reply)
	}
	for _, t := range env.Timers {
		if m.cfg.NoReplicaTimers && !m.cfg.unreduced {
			break // never fired: kept, they would only split states
		}
		due := w.nowNs + max(t.AfterNs, 0)
		w.tims = append(w.tims, rtimer{node: int32(i), dueNs: due, t: t.Timer, hash: timerHash(int32(i), due, t.Timer)})
	}
	effects := len(env.Persists)+len(env.Sends)+len(env.Replies) > 0 || (len(env.Timers) > 0 && (!m.cfg.NoReplicaTimers || m.cfg.unreduced))
	env.Reset()
	r.rehash(m)
	if !effects && r.hash == old.hash && !m.inPlace {
		return true
	}
	w.reps[i] = r
	return false
}
