package sim

import (
	"fmt"
	"io"
	"strconv"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// Options are the parts of a run that do not change what happens in it.
type Options struct {
	// Trace, if set, receives the run's trace as text, one event a line.
	Trace io.Writer
	// Observe, if set, is called with every trace event, in order.
	Observe func(TraceEvent)
}

// Result is everything a run produced.
type Result struct {
	Config   Config
	Schedule []Fault
	History  []history.Event
	Stats    Stats
	// TraceHash is a hash over every trace event: same scenario, same hash.
	TraceHash uint64
	// Stuck says why the run failed its liveness phase, or hit a limit;
	// empty if it did neither.
	Stuck string
	// Unavailable says why the run failed its availability check: an
	// operation invoked after the faults healed ended in a definite
	// failure other than a failed compare (refused, unsupported, resolved
	// as not applied). Failed operations drop out of the linearizability
	// check, so a protocol that refuses everything would otherwise pass.
	Unavailable string
	// HealNs is when the last fault ended and the liveness phase began.
	HealNs int64
	// OpInvokes maps each client operation (TraceEvent.Op) to the index of
	// its invoke event in History.
	OpInvokes []int
	// Ops names each client operation (TraceEvent.Op) in the scenario.
	Ops []OpInfo
}

// OpInfo names one client operation of a run and what it did.
type OpInfo struct {
	Client, Index int
	InvokeNs      int64
	Input         model.Input
	// Messages counts the messages sent on its behalf (as
	// KindStats.Messages does), and RoundTrips the round trips between
	// replicas it took to its answer when its first attempt answered it
	// (as KindStats.RoundTrips; -1 otherwise).
	Messages, RoundTrips int
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
	Resolved   int // operations whose outcome a resolving read found
	Retries    int
	Hedges     int
	Kinds      [3]KindStats // by model.Kind
	// InTime counts the operations answered within their deadline: ok,
	// or a definite failure (compare failed, not applied, unsupported)
	// before the deadline passed. An operation left indeterminate, or
	// answered only by a resolving read after its deadline, is not.
	InTime int
	// MaxStallNs is the longest stretch of simulated time in which some
	// operation was waiting and none was answered: a fixed primary that
	// is down or cut off shows here while clients retry in vain.
	MaxStallNs int64
	// Capacity figures (capacity.go): client requests shed, the longest
	// a replica's queue grew, and the operations answered with their
	// result (ok, or a failed compare) within their deadline (goodput).
	Shed      int
	QueuedMax int
	OKInTime  int
	// Degraded counts the reads answered degraded (degrade.go).
	Degraded int
	// LastMissNs is the invoke time of the latest operation not answered
	// with its result within its deadline (-1: none): after an overload,
	// when the clients were served again.
	LastMissNs int64
}

// Ops is the number of operations that completed one way or another.
func (st Stats) Ops() int { return st.OK + st.Fail + st.Info }

// Availability is the share of operations answered within their deadline
// (Stats.InTime over Stats.Ops): what a client sees of a service that
// must answer, one way or the other, in time. A cas whose compare failed
// counts as answered. 1 for a run with no operation. casim's capacity
// figures use the same definition.
func (st Stats) Availability() float64 {
	if st.Ops() == 0 {
		return 1
	}
	return float64(st.InTime) / float64(st.Ops())
}

// KindStats are one operation type's figures.
type KindStats struct {
	Count       int
	OK          int
	LatenciesNs []int64 // of the operations that completed ok, in order
	// Messages counts the messages sent on behalf of operations of this
	// type (requests, replies, and every message between replicas they
	// caused, retries included; a replica's messages to itself are not
	// counted).
	Messages int64
	// RoundTrips counts, by the number of round trips between replicas
	// an operation took to its answer, the operations answered on their
	// first attempt. Its mode is the uncontended cost (see Mode): the
	// minimum would mislead, since an operation can be answered early from
	// an idempotency window when a duplicate request raced it. A one-way
	// hop (a backup forwarding to a primary, which answers the client)
	// counts as a round trip: ReplicaHops has the hops as they are.
	RoundTrips map[int]int
	// ReplicaHops counts the same operations by the messages between
	// replicas on the path from the request to the answer.
	ReplicaHops map[int]int
}

// Mode returns the most frequent key of counts (the smallest on a tie), or
// -1 if counts is empty.
func Mode(counts map[int]int) int {
	best, bestN := -1, 0
	for k, n := range counts {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return best
}

// opRec is what the simulator follows of one client operation.
type opRec struct {
	key      uint64 // client<<32 | operation index: stable under shrinking
	handlers uint32 // replica handlers run on its behalf so far
	kind     model.Kind
	messages int32
	depth    uint16 // hops from request to the answer (0: no answer)
}

// tally adds up the operations' messages and round trips by type.
func (st *Stats) tally(recs []opRec) {
	for k := range st.Kinds {
		st.Kinds[k].RoundTrips = map[int]int{}
		st.Kinds[k].ReplicaHops = map[int]int{}
	}
	for _, r := range recs {
		ks := &st.Kinds[r.kind]
		ks.Messages += int64(r.messages)
		if r.depth >= 2 {
			// The request and the reply are the client's round trip; the
			// rest go between replicas, rounded up to whole round trips.
			hops := int(r.depth - 2)
			ks.ReplicaHops[hops]++
			ks.RoundTrips[(hops+1)/2]++
		}
	}
}

type sim struct {
	cfg          Config
	proto        protocol.Protocol
	nowNs        int64
	q            queue
	net          *network
	clocks       []clock // per endpoint
	replicas     []replica
	clients      []client
	slots        []slot
	sched        []Fault
	crashed      []bool // per schedule entry: the crash happened
	healNs       int64
	handlerRand  keyed
	history      []history.Event
	stats        Stats
	hash         uint64
	traceOut     io.Writer
	observe      func(TraceEvent)
	stuck        string
	periodic     bool // storage acknowledges before fsync
	syncPeriodNs int64
	unavailable  string
	// cause and depth are the causality of the handler running now: what
	// it sends works for the same client operation, one hop deeper.
	cause     int32
	depth     uint16
	out       []outgoing
	opRecs    []opRec
	opInvokes []int
	opInfos   []OpInfo

	// place is where each endpoint is (with a topology; else empty).
	place       placement
	keys        []string
	seen        []known // per client and key
	latest      []known // per key, across clients
	nextProcess int
	slotsLeft   int

	// Capacity and open-loop load (capacity.go, openloop.go); nil and
	// zero when off.
	capq          []capReplica
	holdNs        int64
	queueBudgetNs int64
	// waiting counts operations in flight; waitFromNs is when the
	// current stretch without an answer began (for Stats.MaxStallNs).
	waiting    int
	waitFromNs int64
}

// Run runs the scenario of cfg, its fault schedule drawn from the seed.
func Run(cfg Config, opts Options) (*Result, error) {
	return RunScenario(Scenario{Config: cfg}, opts)
}

// RunScenario runs one simulation.
func RunScenario(sc Scenario, opts Options) (*Result, error) {
	if err := sc.complete(); err != nil {
		return nil, err
	}
	cfg := sc.Config
	proto, err := protocol.Lookup(cfg.Protocol)
	if err != nil {
		return nil, err
	}
	s := &sim{cfg: cfg, proto: proto, hash: fnvOffset, traceOut: opts.Trace, observe: opts.Observe, cause: -1}
	s.stats.LastMissNs = -1
	s.periodic = cfg.Storage.Periodic || proto.Sync == protocol.SyncPeriodic
	s.syncPeriodNs = cfg.Storage.SyncPeriodNs
	if s.syncPeriodNs == 0 {
		s.syncPeriodNs = syncPeriodDefaultNs
	}
	s.setup(sc)
	s.loop()
	s.finish()
	s.stats.SimNs = s.nowNs
	s.stats.tally(s.opRecs)
	for i, r := range s.opRecs {
		s.opInfos[i].Messages, s.opInfos[i].RoundTrips = int(r.messages), -1
		if r.depth >= 2 {
			s.opInfos[i].RoundTrips = (int(r.depth) - 1) / 2 // as tally rounds
		}
	}
	return &Result{Config: cfg, Schedule: s.sched, History: s.history, Stats: s.stats,
		TraceHash: s.hash, Stuck: s.stuck, Unavailable: s.unavailable, HealNs: s.healNs, OpInvokes: s.opInvokes, Ops: s.opInfos}, nil
}

func (s *sim) setup(sc Scenario) {
	c := s.cfg
	s.net = newNetwork(c.Network, c.Seed, c.Replicas+c.Clients)
	s.clocks = drawClocks(c)
	s.handlerRand = newKeyed()
	s.keys = make([]string, c.Keys)
	for i := range s.keys {
		s.keys[i] = "k" + strconv.Itoa(i)
	}
	s.seen = make([]known, c.Clients*c.Keys)
	s.latest = make([]known, c.Keys)
	s.replicas = make([]replica, c.Replicas)
	hintNs := c.RoundTripNs()
	var hints []int64
	if t := c.Topology; t != nil {
		s.place = t.place(c.Clients)
		s.net.useTopology(t, s.place)
		hints = t.quorumRoundTripNs(s.place, c.Replicas)
	}
	for i := range s.replicas {
		r := &s.replicas[i]
		r.store = newStore()
		r.crashAfterSync = -1
		if hints != nil {
			hintNs = hints[i] + c.Capacity.roundTripNs()
		}
		var regions []int
		if c.Topology != nil {
			regions = s.place.region[:c.Replicas:c.Replicas]
		}
		r.env.Config = protocol.Config{Self: protocol.NodeID(i), N: c.Replicas, Options: c.ProtocolOptions, Regions: regions,
			RoundTripNs: hintNs + c.Capacity.queueAllowanceNs()}
		r.env.Rand = s.handlerRand.r
		r.node = s.proto.New(r.env.Config, r.store)
	}
	s.sched = sc.Schedule
	s.crashed = make([]bool, len(s.sched))
	s.healNs = healNs(c, s.sched)
	for i, f := range s.sched {
		s.schedule(event{atNs: f.StartNs, kind: evFaultStart, n: uint64(i), cause: -1})
		s.schedule(event{atNs: f.EndNs, kind: evFaultEnd, n: uint64(i), cause: -1})
	}
	s.schedule(event{atNs: s.healNs, kind: evHeal, cause: -1})
	s.setupCapacity()
	s.clients = make([]client, c.Clients)
	open := c.Capacity.OpenLoop()
	if !open {
		s.slots = make([]slot, c.Clients*c.Client.Concurrency)
	}
	s.nextProcess = len(s.slots)
	s.slotsLeft = len(s.slots)
	for i := range s.clients {
		cl := &s.clients[i]
		cl.idx, cl.ep = i, int32(c.Replicas+i)
		cl.rand = derive(c.Seed, streamClient, uint64(i))
		cl.outstanding = make([]int, c.Replicas)
		cl.rr = cl.rand.IntN(c.Replicas)
		if sc.Ops != nil {
			cl.plan = sc.Ops[i]
			if sc.Pins != nil {
				cl.pins = sc.Pins[i]
			}
		} else {
			cl.plan = make([]int, c.OpsPerClient)
			for j := range cl.plan {
				cl.plan[j] = j
			}
		}
		for j := range c.Client.Concurrency * boolInt(!open) {
			id := i*c.Client.Concurrency + j
			sl := &s.slots[id]
			sl.id, sl.c, sl.process, sl.op = id, cl, id, -1
			sl.opRand = newKeyed()
			s.slotTimer(sl, ctStart, between(cl.rand, 0, c.Client.ThinkMaxNs))
		}
	}
	if open {
		s.setupOpenLoop()
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *sim) schedule(e event) {
	if s.q.len() >= s.cfg.Limits.MaxQueue {
		s.stuck = fmt.Sprintf("event queue reached its limit of %d events", s.cfg.Limits.MaxQueue)
		return
	}
	s.q.push(e)
}

func (s *sim) loop() {
	lim := s.cfg.Limits
	for s.slotsLeft > 0 && s.q.len() > 0 && s.stuck == "" {
		e := s.q.pop()
		switch {
		case e.atNs > lim.MaxSimNs:
			s.stuck = fmt.Sprintf("simulated time reached its limit of %s", fmtNs(lim.MaxSimNs))
			return
		case e.atNs > s.healNs+lim.LivenessNs:
			s.stuck = fmt.Sprintf("clients still busy %s after the faults healed", fmtNs(lim.LivenessNs))
			return
		case s.stats.Events >= lim.MaxEvents:
			s.stuck = fmt.Sprintf("run reached its limit of %d events", lim.MaxEvents)
			return
		}
		s.nowNs = e.atNs
		s.stats.Events++
		s.cause, s.depth = e.cause, e.depth
		switch e.kind {
		case evDeliver:
			if s.net.isCut(e.a, e.b) {
				s.stats.Dropped++
				s.trace(traceDrop, e.a, e.b, e.msg)
			} else if int(e.b) < s.cfg.Replicas {
				s.deliverToReplica(e)
			} else {
				s.trace(traceDeliver, e.a, e.b, e.msg)
				cl := &s.clients[int(e.b)-s.cfg.Replicas]
				if m, ok := e.msg.(localReadResp); ok {
					s.onLocalRead(cl, m)
					break
				}
				r := e.msg.(protocol.Reply)
				if r.Status == protocol.Overloaded {
					s.onOverloaded(cl, r, e.a)
				} else {
					s.onReply(cl, r, e.depth)
				}
			}
		case evTimer:
			s.fireTimer(e)
		case evSync:
			s.completeSync(e)
		case evFlush:
			s.completeFlush(e)
		case evClient:
			s.onSlotTimer(&s.slots[e.a], e.b, e.n, e.m)
		case evFaultStart:
			s.startFault(int(e.n))
		case evFaultEnd:
			s.endFault(int(e.n))
		case evServed:
			s.served(e)
		case evLeave:
			s.leave(e)
		case evArrive:
			s.arrive(&s.clients[e.a])
		case evHeal:
			s.net.healed = true
			s.traceNote(traceFault, -1, "healed: liveness phase")
		}
	}
}

// finish records the operations still open when the run ended as
// indeterminate.
func (s *sim) finish() {
	for i := range s.slots {
		if sl := &s.slots[i]; sl.active {
			s.complete(sl, history.Info, protocol.Reply{})
		}
	}
}
