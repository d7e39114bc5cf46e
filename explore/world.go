package explore

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// A world is one state of the model: the replicas, the messages in flight,
// the pending timers, the clients and the history. Successor worlds share
// what they do not change: a world's slices are copied when it is
// cloned, its replicas only when one of them handles an event.
type world struct {
	m     *machine
	nowNs int64
	reps  []*replica
	msgs  []msg
	tims  []rtimer
	cls   []client
	seen  []known // per client and key: the expected value of its next cas
	last  []known // per key, across clients
	hist  []history.Event
	ops   []opRec // per planned operation: client c's j-th is ops[opBase[c]+j]
	done  uint64  // bitmask of ops completed
	procs int     // next fresh history process
	crash int     // crashes used
	dups  int     // duplications used
	// histHash is the canonical hash of the history (see opRec).
	histHash uint64
}

// replica is one replica: its node, durable storage and incarnation.
type replica struct {
	node  protocol.Node
	store store
	epoch uint32
	hash  uint64 // of node, store and epoch
	// retired: no client request can reach it again (retire.go).
	retired bool
}

// msg is a message in flight between endpoints: replicas 0..R-1, clients
// R.. . hash covers the endpoints, the content and the copy number.
type msg struct {
	from, to int32
	m        protocol.Message
	copyNo   uint8
	// earliestNs is when the message can arrive at the soonest: sent plus
	// the minimum latency between replicas (Config.MinLatencyNs).
	earliestNs int64
	hash       uint64
}

// rtimer is a replica's pending timer, due at dueNs of the model's clock.
type rtimer struct {
	node  int32
	dueNs int64
	t     protocol.Timer
	hash  uint64
}

// known is the last value a client saw of a key.
type known struct {
	has bool
	v   int64
}

// opRec is one operation of the history as the checker sees it: what it
// asked, how it ended, and which operations had completed before it was
// invoked. Histories with the same records are the same to the checker
// whatever the order of their events, and extend alike.
type opRec struct {
	invoked       bool
	client, index int
	in            model.Input
	typ           history.Type // Invoke while open
	has           bool
	value         int64
	errored       bool
	after         uint64 // ops completed before the invoke
}

func (o opRec) hash() uint64 {
	if !o.invoked {
		return 0
	}
	e := uint64(0)
	if o.errored {
		e = 1
	}
	h := uint64(0)
	if o.has {
		h = 1
	}
	return hashWords(uint64(o.client), uint64(o.index), uint64(o.in.Kind), uint64(len(o.in.Key)), hashString(o.in.Key),
		uint64(o.in.Value), uint64(o.in.Expected), uint64(o.typ), h, uint64(o.value), e, o.after)
}

func hashString(s string) uint64 {
	h := newHasher()
	h.str(s)
	return h.sum()
}

// store is a replica's durable records. It is copied on write: a world
// shares its replicas' stores with its predecessor.
type store map[string]any

func (s store) Get(key string) (any, bool) { v, ok := s[key]; return v, ok }

// hash is the canonical hash of the records: keys in order, each record
// by its protocol.StateEncoder if it has one, else by reflection.
func (s store) hash(unreduced bool) uint64 {
	h := newHasher()
	h.word(uint64(len(s)))
	for _, k := range s.Keys() {
		h.str(k)
		v := s[k]
		if v == nil {
			h.word(0)
			continue
		}
		h.word(typeID(reflectType(v)))
		if e, ok := v.(protocol.StateEncoder); ok && !unreduced {
			e.EncodeState(&h)
		} else {
			h.word(valueHash(v))
		}
	}
	return h.sum()
}

func (s store) Keys() []string {
	ks := make([]string, 0, len(s))
	for k := range s {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// machine is what the worlds of one exploration share: the configuration,
// the keys, and the scratch state of running a handler.
type machine struct {
	cfg   Config
	keys  []string
	plans [][]OpSpec
	env   protocol.Env
	pcg   *rand.PCG
	// opBase[c] is the index of client c's first operation among all.
	opBase []int
	// inPlace runs handlers on the replica itself rather than a copy: for
	// TestCloneFidelity's linear replays, where no other world shares it.
	inPlace bool
	// retireUnreduced retires replicas even in the unreduced model: for
	// TestStaleMessagesAreNoops, which checks retired replicas' staleness.
	retireUnreduced bool
}

func newMachine(cfg Config) *machine {
	m := &machine{cfg: cfg, plans: cfg.Workload}
	for i := range cfg.Keys {
		m.keys = append(m.keys, "k"+strconv.Itoa(i))
	}
	m.pcg = rand.NewPCG(1, 2)
	m.env.Rand = rand.New(m.pcg)
	n := 0
	for _, p := range m.plans {
		m.opBase = append(m.opBase, n)
		n += len(p)
	}
	return m
}

func (m *machine) nodeConfig(i int) protocol.Config {
	return protocol.Config{Self: protocol.NodeID(i), N: m.cfg.Replicas, RoundTripNs: m.cfg.RoundTripNs, Options: m.cfg.Options}
}

// initial is the world before anything happened.
func (m *machine) initial() *world {
	w := &world{m: m}
	for i := range m.cfg.Replicas {
		r := &replica{store: store{}}
		r.node = m.cfg.Protocol.New(m.nodeConfig(i), r.store)
		r.rehash(m)
		w.reps = append(w.reps, r)
	}
	w.cls = make([]client, len(m.plans))
	for c := range w.cls {
		w.cls[c].process = c
	}
	w.procs = len(m.plans)
	w.ops = make([]opRec, m.opBase[len(m.opBase)-1]+len(m.plans[len(m.plans)-1]))
	w.seen = make([]known, len(m.plans)*m.cfg.Keys)
	w.last = make([]known, m.cfg.Keys)
	w.retire()
	return w
}

func (r *replica) rehash(m *machine) {
	h := newHasher()
	h.word(stateHash(r.node, m.cfg.unreduced))
	h.word(r.store.hash(m.cfg.unreduced))
	h.word(uint64(r.epoch))
	r.hash = h.sum()
}

// clone is a copy of w that can be changed without changing w.
func (w *world) clone() *world {
	c := *w
	c.reps = slices.Clone(w.reps)
	c.msgs = slices.Clone(w.msgs)
	c.tims = slices.Clone(w.tims)
	c.cls = slices.Clone(w.cls)
	c.seen = slices.Clone(w.seen)
	c.last = slices.Clone(w.last)
	c.hist = slices.Clip(w.hist)
	c.ops = slices.Clone(w.ops)
	return &c
}

// hash is the canonical hash of w: the clock, each replica, the multiset
// of messages in flight, the timers, the clients, and the history as the
// checker sees it.
func (w *world) hash() uint64 {
	h := newHasher()
	h.word(uint64(w.nowNs))
	for _, r := range w.reps {
		h.word(r.hash)
	}
	var ms, ts uint64
	for _, m := range w.msgs {
		ms += mix(m.hash)
	}
	for _, t := range w.tims {
		ts += mix(t.hash)
	}
	h.word(uint64(len(w.msgs)))
	h.word(ms)
	h.word(uint64(len(w.tims)))
	h.word(ts)
	for _, c := range w.cls {
		h.word(c.hash())
	}
	for _, k := range w.seen {
		h.word(k.word())
	}
	for _, k := range w.last {
		h.word(k.word())
	}
	h.word(w.histHash)
	h.word(uint64(w.crash))
	h.word(uint64(w.dups))
	return h.sum()
}

func (k known) word() uint64 {
	if !k.has {
		return 0x5eed
	}
	return mix(uint64(k.v) + 1)
}

func (w *world) rehashHistory() {
	h := newHasher()
	for _, o := range w.ops {
		h.word(o.hash())
	}
	w.histHash = h.sum()
}

// send puts a message in flight.
func (w *world) send(from, to int32, m protocol.Message) {
	at := w.nowNs
	if R := int32(w.m.cfg.Replicas); from < R && to < R {
		at += w.m.cfg.MinLatencyNs
	}
	w.msgs = append(w.msgs, w.newMsg(from, to, m, 0, at))
}

func (w *world) newMsg(from, to int32, m protocol.Message, copyNo uint8, earliestNs int64) msg {
	mc := w.m
	h := newHasher()
	h.word(uint64(from))
	h.word(uint64(to))
	h.word(uint64(copyNo))
	h.word(uint64(earliestNs))
	h.word(typeID(reflectType(m)))
	switch {
	case mc.cfg.unreduced:
		h.word(valueHash(m))
	case to < int32(len(w.reps)) && encodesFor(w.reps[to].node, m, &h):
	default:
		if e, ok := m.(protocol.StateEncoder); ok {
			e.EncodeState(&h)
		} else {
			h.word(valueHash(m))
		}
	}
	return msg{from: from, to: to, m: m, copyNo: copyNo, earliestNs: earliestNs, hash: h.sum()}
}

// encodesFor writes m as replica node, its receiver, reads it
// (protocol.MessageEncoder), and reports whether it did.
func encodesFor(node protocol.Node, m protocol.Message, h *hasher) bool {
	e, ok := node.(protocol.MessageEncoder)
	return ok && e.EncodeMessage(m, h)
}

func timerHash(node int32, dueNs int64, t protocol.Timer) uint64 {
	h := newHasher()
	h.word(uint64(node))
	h.word(uint64(dueNs))
	h.word(uint64(t.Kind))
	h.str(t.Key)
	h.word(t.ID)
	h.word(t.Seq)
	return h.sum()
}

// record appends e to the history, stamped with the model's clock.
func (w *world) record(e history.Event) {
	e.TimeNs = w.nowNs
	w.hist = append(w.hist, e)
}
