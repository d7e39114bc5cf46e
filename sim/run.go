package sim

import (
	"fmt"
	"io"
	"strconv"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/protocol"
)

// Options are the parts of a run that do not change what happens in it.
type Options struct {
	// Trace, if set, receives the run's trace as text, one event a line.
	Trace io.Writer
	// Schedule, if set, replaces the fault schedule drawn from the seed.
	Schedule []Fault
}

// Result is everything a run produced.
type Result struct {
	Config   Config
	Schedule []Fault
	History  []history.Event
	Stats    Stats
	// TraceHash is a hash over every trace event: same configuration, same
	// hash.
	TraceHash uint64
	// Stopped names the limit that ended the run early ("" if every client
	// finished its operations).
	Stopped string
}

// Stats counts what happened in a run.
type Stats struct {
	Events     int64
	Messages   int64 // sent, including those then lost
	Dropped    int64
	Duplicated int64
	SimNs      int64
	OK         int
	Fail       int
	Info       int
	Resolved   int          // operations whose outcome a resolving read found
	Kinds      [3]KindStats // by model.Kind
}

// Ops is the number of operations that completed one way or another.
func (st Stats) Ops() int { return st.OK + st.Fail + st.Info }

// KindStats are one operation type's figures.
type KindStats struct {
	Count       int
	OK          int
	LatenciesNs []int64 // of the operations that completed ok, in order
}

type replica struct {
	node      protocol.Node
	downCount int    // active crash faults; up when zero
	epoch     uint64 // bumped by each crash: older timers are void
	store     *store
	env       protocol.Env
}

type sim struct {
	cfg      Config
	proto    protocol.Protocol
	nowNs    int64
	q        queue
	net      *network
	replicas []replica
	clients  []client
	sched    []Fault
	history  []history.Event
	stats    Stats
	hash     uint64
	traceOut io.Writer
	stopped  string

	keys        []string
	seen        []known // per client and key
	latest      []known // per key, across clients
	nextProcess int
	clientsLeft int
}

// Run runs one simulation.
func Run(cfg Config, opts Options) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	proto, err := protocol.Lookup(cfg.Protocol)
	if err != nil {
		return nil, err
	}
	if err := cfg.ProtocolOptions.Validate(proto); err != nil {
		return nil, err
	}
	s := &sim{cfg: cfg, proto: proto, hash: fnvOffset, traceOut: opts.Trace}
	s.setup(opts)
	s.loop()
	s.finish()
	s.stats.SimNs = s.nowNs
	return &Result{Config: cfg, Schedule: s.sched, History: s.history, Stats: s.stats,
		TraceHash: s.hash, Stopped: s.stopped}, nil
}

func (s *sim) setup(opts Options) {
	c := s.cfg
	s.net = newNetwork(c.Network, c.Seed, c.Replicas+c.Clients)
	s.keys = make([]string, c.Keys)
	for i := range s.keys {
		s.keys[i] = "k" + strconv.Itoa(i)
	}
	s.seen = make([]known, c.Clients*c.Keys)
	s.latest = make([]known, c.Keys)
	s.replicas = make([]replica, c.Replicas)
	for i := range s.replicas {
		r := &s.replicas[i]
		r.store = newStore()
		r.env.Config = protocol.Config{Self: protocol.NodeID(i), N: c.Replicas, Options: c.ProtocolOptions}
		r.env.Rand = derive(c.Seed, streamReplica, uint64(i))
		r.node = s.proto.New(r.env.Config, r.store)
	}
	s.sched = opts.Schedule
	if s.sched == nil {
		s.sched = drawSchedule(c)
	}
	for i, f := range s.sched {
		s.schedule(event{atNs: f.StartNs, kind: evFaultStart, n: uint64(i)})
		s.schedule(event{atNs: f.EndNs, kind: evFaultEnd, n: uint64(i)})
	}
	s.clients = make([]client, c.Clients)
	s.nextProcess = c.Clients
	s.clientsLeft = c.Clients
	for i := range s.clients {
		cl := &s.clients[i]
		cl.idx, cl.ep, cl.process = i, int32(c.Replicas+i), i
		cl.rand = derive(c.Seed, streamClient, uint64(i))
		s.clientTimer(cl, ctStart, between(cl.rand, 0, c.Client.ThinkMaxNs))
	}
}

func (s *sim) schedule(e event) {
	if s.q.len() >= s.cfg.Limits.MaxQueue {
		s.stopped = fmt.Sprintf("event queue reached %d events", s.cfg.Limits.MaxQueue)
		return
	}
	s.q.push(e)
}

func (s *sim) loop() {
	lim := s.cfg.Limits
	for s.clientsLeft > 0 && s.q.len() > 0 && s.stopped == "" {
		e := s.q.pop()
		if e.atNs > lim.MaxSimNs {
			s.stopped = fmt.Sprintf("simulated time reached %s", fmtNs(lim.MaxSimNs))
			return
		}
		if s.stats.Events >= lim.MaxEvents {
			s.stopped = fmt.Sprintf("run reached %d events", lim.MaxEvents)
			return
		}
		s.nowNs = e.atNs
		s.stats.Events++
		switch e.kind {
		case evDeliver:
			s.deliver(e)
		case evTimer:
			r := &s.replicas[e.a]
			if r.downCount > 0 || r.epoch != e.n {
				continue
			}
			s.trace(traceTimer, e.a, -1, nil)
			r.env.NowNs = s.nowNs
			r.node.OnTimer(&r.env, e.timer)
			s.apply(e.a)
		case evClient:
			s.onClientTimer(&s.clients[e.a], e.b, e.n, e.m)
		case evFaultStart:
			s.startFault(int(e.n))
		case evFaultEnd:
			s.endFault(int(e.n))
		}
	}
}

func (s *sim) deliver(e event) {
	to := e.b
	if s.net.isCut(e.a, to) {
		s.stats.Dropped++
		s.trace(traceDrop, e.a, to, e.msg)
		return
	}
	if int(to) >= s.cfg.Replicas {
		s.trace(traceDeliver, e.a, to, e.msg)
		s.onReply(&s.clients[int(to)-s.cfg.Replicas], e.msg.(protocol.Reply))
		return
	}
	r := &s.replicas[to]
	if r.downCount > 0 {
		s.stats.Dropped++
		s.trace(traceDrop, e.a, to, e.msg)
		return
	}
	s.trace(traceDeliver, e.a, to, e.msg)
	r.env.NowNs = s.nowNs
	if req, ok := e.msg.(protocol.Request); ok {
		r.node.OnRequest(&r.env, protocol.ClientID(int(e.a)-s.cfg.Replicas), req)
	} else {
		r.node.OnMessage(&r.env, protocol.NodeID(e.a), e.msg)
	}
	s.apply(to)
}

// apply carries out a handler's effects: persists first, then timers,
// messages and replies.
func (s *sim) apply(i int32) {
	r := &s.replicas[i]
	env := &r.env
	for _, p := range env.Persists {
		r.store.records[p.Key] = p.Value
	}
	for _, t := range env.Timers {
		s.schedule(event{atNs: s.nowNs + t.AfterNs, kind: evTimer, a: i, n: r.epoch, timer: t.Timer})
	}
	for _, m := range env.Sends {
		s.trace(traceSend, i, int32(m.To), m.Msg)
		s.send(i, int32(m.To), m.Msg)
	}
	for _, m := range env.Replies {
		to := int32(s.cfg.Replicas + int(m.To))
		s.trace(traceSend, i, to, m.Reply)
		s.send(i, to, m.Reply)
	}
	env.Reset()
}

// finish records the operations still open when the run ended as
// indeterminate.
func (s *sim) finish() {
	for i := range s.clients {
		if c := &s.clients[i]; c.active {
			s.complete(c, history.Info, protocol.Reply{})
		}
	}
}
