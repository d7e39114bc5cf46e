package sim

import (
	"math/rand/v2"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// A client is one logical user of the store, with the client library of
// Netflix's KeyValue abstraction underneath: one operation at a time, an
// idempotency token per operation, a deadline, and retries at other
// coordinators with backoff.

// client timer kinds
const (
	ctStart          = iota // invoke the next operation
	ctAttemptTimeout        // the current attempt got no answer in time
	ctRetry                 // backoff over: send the next attempt
	ctDeadline              // the operation's (or its resolution's) deadline passed
	ctResolve               // grace over: ask whether the operation was applied
)

// resolveBit marks a request ID as a resolving read: its attempts are
// counted apart from the operation's own.
const resolveBit = 0x8000

type client struct {
	idx     int
	ep      int32 // network endpoint
	process int   // history process; renewed after an indeterminate op
	rand    *rand.Rand
	issued  int // operations invoked so far

	// The current operation.
	active   bool
	seq      uint64
	key      int // index of in.Key
	in       model.Input
	token    protocol.Token
	invokeNs int64
	deadline int64 // simulated time
	attempt  uint32
	coord    int
	// resolving: the deadline passed and the client is asking whether
	// the operation was applied (a serial read of the key's tokens).
	resolving bool
}

// known is the last value a client saw of a key, the expected value of
// its next cas on that key.
type known struct {
	has bool
	v   int64
}

func (s *sim) startOp(c *client) {
	if c.issued >= s.cfg.OpsPerClient {
		s.clientsLeft--
		return
	}
	c.issued++
	c.seq++
	key := c.rand.IntN(s.cfg.Keys)
	in := model.Input{Kind: s.drawKind(c.rand), Key: s.keys[key]}
	// Every write and cas writes a value never written before, so that
	// a read names the write it saw.
	in.Value = int64(c.issued-1)*int64(s.cfg.Clients) + int64(c.idx) + 1
	if in.Kind == model.Cas {
		k := s.seen[c.idx*s.cfg.Keys+key]
		if !k.has {
			k = s.latest[key]
		}
		in.Expected = k.v
	}
	if in.Kind == model.Read {
		in.Value = 0
	}
	c.active, c.key, c.in, c.invokeNs, c.attempt, c.resolving = true, key, in, s.nowNs, 0, false
	c.deadline = s.nowNs + s.cfg.Client.DeadlineNs
	c.token = s.newToken(c)
	s.record(history.Event{Type: history.Invoke, Process: c.process, F: in.Kind, Key: in.Key,
		Has: in.Kind != model.Read, Value: in.Value, Expected: in.Expected})
	s.traceNote(traceInvoke, c.ep, model.Describe(in, model.Output{Status: model.Unknown}))
	c.coord = c.rand.IntN(s.cfg.Replicas)
	s.sendAttempt(c)
	s.clientTimer(c, ctDeadline, c.deadline)
}

func (s *sim) newToken(c *client) protocol.Token {
	return protocol.Token{TimeNs: s.nowNs, Nonce: c.rand.Uint64()}
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

func (s *sim) sendAttempt(c *client) {
	req := protocol.Request{ID: c.requestID(), Op: c.in, Token: c.token,
		DeadlineNs: c.deadline, Resolve: c.resolving}
	s.send(c.ep, int32(c.coord), req)
	s.clientTimer(c, ctAttemptTimeout, s.nowNs+s.cfg.Client.AttemptTimeoutNs)
}

// requestID names the current attempt: operation, phase, attempt.
func (c *client) requestID() uint64 {
	id := c.seq<<16 | uint64(c.attempt&0x7fff)
	if c.resolving {
		id |= resolveBit
	}
	return id
}

func (s *sim) clientTimer(c *client, kind int32, atNs int64) {
	s.schedule(event{atNs: atNs, kind: evClient, a: int32(c.idx), b: kind, n: c.seq, m: c.attempt})
}

func (s *sim) onClientTimer(c *client, kind int32, seq uint64, attempt uint32) {
	if kind == ctStart {
		s.startOp(c)
		return
	}
	if !c.active || seq != c.seq {
		return // the operation is over
	}
	switch kind {
	case ctDeadline:
		s.traceNote(traceDeadlineMiss, c.ep, model.Describe(c.in, model.Output{Status: model.Unknown}))
		if c.resolving || !s.cfg.Client.Resolve || c.in.Kind == model.Read {
			s.complete(c, history.Info, protocol.Reply{})
			return
		}
		// Ask, after a grace period, whether the operation was applied.
		// Nothing more is sent for the operation itself.
		c.resolving, c.attempt = true, 0
		c.deadline = s.nowNs + s.cfg.Client.ResolveGraceNs + s.cfg.Client.ResolveTimeoutNs
		s.clientTimer(c, ctResolve, s.nowNs+s.cfg.Client.ResolveGraceNs)
		s.clientTimer(c, ctDeadline, c.deadline)
	case ctResolve:
		s.sendAttempt(c)
	case ctAttemptTimeout:
		if attempt == c.attempt {
			s.backoff(c)
		}
	case ctRetry:
		if attempt == c.attempt {
			c.attempt++
			if s.cfg.Replicas > 1 {
				c.coord = (c.coord + 1 + c.rand.IntN(s.cfg.Replicas-1)) % s.cfg.Replicas
			}
			if s.proto.Client.FreshTokenOnRetry {
				c.token = s.newToken(c)
			}
			s.sendAttempt(c)
		}
	}
}

// backoff schedules the next attempt after an exponential backoff with
// full jitter, unless it would start past the deadline.
func (s *sim) backoff(c *client) {
	cl := s.cfg.Client
	capNs := min(cl.BackoffBaseNs<<min(c.attempt, 20), cl.BackoffMaxNs)
	at := s.nowNs + 1 + c.rand.Int64N(capNs)
	if at < c.deadline {
		s.clientTimer(c, ctRetry, at)
	}
}

func (s *sim) onReply(c *client, r protocol.Reply) {
	if !c.active || r.ID>>16 != c.seq || (r.ID&resolveBit != 0) != c.resolving {
		return // a late answer to an operation, or a phase of it, already over
	}
	switch r.Status {
	case protocol.OK:
		s.complete(c, history.Ok, r)
	case protocol.CompareFailed:
		s.complete(c, history.Fail, r)
	case protocol.NotApplied, protocol.Unsupported:
		s.complete(c, history.Fail, r)
	case protocol.Unknown:
		if uint32(r.ID&0x7fff) == c.attempt {
			s.backoff(c)
		}
	}
}

// complete records how the current operation ended and schedules the next.
func (s *sim) complete(c *client, t history.Type, r protocol.Reply) {
	in := c.in
	e := history.Event{Type: t, Process: c.process, F: in.Kind, Key: in.Key,
		Has: in.Kind != model.Read, Value: in.Value, Expected: in.Expected}
	key := c.key
	ks := &s.stats.Kinds[in.Kind]
	ks.Count++
	switch t {
	case history.Ok:
		if c.resolving {
			s.stats.Resolved++
		}
		s.stats.OK++
		ks.OK++
		ks.LatenciesNs = append(ks.LatenciesNs, s.nowNs-c.invokeNs)
		v := in.Value
		if in.Kind == model.Read {
			e.Has, e.Value, v = r.Has, r.Value, r.Value
		}
		if e.Has {
			s.seen[c.idx*s.cfg.Keys+key] = known{true, v}
			s.latest[key] = known{true, v}
		}
	case history.Fail:
		s.stats.Fail++
		switch {
		case r.Status == protocol.CompareFailed:
		case c.resolving:
			e.Error = "resolved-" + r.Status.String()
		default:
			e.Error = r.Status.String()
		}
	case history.Info:
		s.stats.Info++
	}
	s.record(e)
	s.traceNote(traceComplete, c.ep, t.String()+" "+model.Describe(in, model.Output{Has: r.Has, Value: r.Value}))
	c.active = false
	if t == history.Info {
		// Jepsen's rule: a process whose operation is indeterminate is
		// retired; the client goes on under a new process.
		c.process = s.nextProcess
		s.nextProcess++
	}
	s.clientTimer(c, ctStart, s.nowNs+between(c.rand, 0, s.cfg.Client.ThinkMaxNs))
}

func (s *sim) record(e history.Event) {
	e.TimeNs = s.nowNs
	s.history = append(s.history, e)
}
