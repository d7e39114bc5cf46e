// Package protocol is the contract between a replication protocol and the
// world that runs it (the simulator in package sim, or a test).
//
// A protocol is a set of replicas, each a pure state machine in the style of
// etcd raft and Stateright: a handler receives one input (a client request,
// a message from another replica, or a fired timer) together with an *Env,
// and writes its effects into that Env: messages to send, timers to set,
// replies to clients, and records to persist. The handler returns; the world
// then delivers the effects as it sees fit (late, twice, never).
//
// Handlers must be deterministic functions of their state and inputs: no
// goroutines, no time.Now, no package-level math/rand, and no dependence on
// map iteration order. The local clock reading and the random source come
// in through the Env, so the simulator can skew the first and seed the
// second.
package protocol

import "math/rand/v2"

// NodeID names a replica: 0 .. N-1.
type NodeID int

// ClientID names a client endpoint, as the world numbers them. A protocol
// only hands it back in Env.Reply.
type ClientID int

// Message is anything one replica sends another. Each protocol defines its
// own concrete types. Messages are shared between recipients (a broadcast
// sends one value to all), so a handler must never mutate a message it
// received or sent, nor anything a message points to.
type Message interface {
	// Kind names the message type for traces and counts, e.g. "prepare".
	Kind() string
}

// Timer is a protocol-defined timer, handed back to OnTimer when it fires.
// There is no cancel: a handler ignores a timer whose ID is stale.
type Timer struct {
	Kind uint8
	Key  string
	ID   uint64
	Seq  uint64
}

// Node is one replica's state machine.
type Node interface {
	// OnRequest handles a client request arriving at this replica, which
	// acts as its coordinator.
	OnRequest(env *Env, from ClientID, req Request)
	// OnMessage handles a message from another replica (or from itself).
	OnMessage(env *Env, from NodeID, m Message)
	// OnTimer handles a timer this node set, if the node has not crashed
	// since.
	OnTimer(env *Env, t Timer)
}

// Config is what a replica knows about the cluster when it starts.
type Config struct {
	Self NodeID
	N    int // number of replicas
	// RoundTripNs is what the deployment says a round trip from this
	// replica to a quorum of replicas typically costs (zero: unknown).
	// Round timeouts start from it until rounds have been measured.
	RoundTripNs int64
	// Regions gives each replica's region (an index), for protocols with
	// region-local consistency (LOCAL_SERIAL, LOCAL_QUORUM); nil: one
	// region.
	Regions []int
	// Options are the protocol's own settings (Protocol.Options lists the
	// keys it takes), validated before any replica is built.
	Options Options
}

// Local returns the replicas in this replica's region, itself included
// (every replica without Regions).
func (c Config) Local() []NodeID {
	var out []NodeID
	for i := range c.N {
		if c.Regions == nil || c.Regions[i] == c.Regions[c.Self] {
			out = append(out, NodeID(i))
		}
	}
	return out
}

// All returns every replica.
func (c Config) All() []NodeID {
	out := make([]NodeID, c.N)
	for i := range out {
		out[i] = NodeID(i)
	}
	return out
}

// Quorum is the majority size of the cluster: N/2 + 1.
func (c Config) Quorum() int { return c.N/2 + 1 }

// Store is a replica's durable storage as it stands when the replica
// starts: everything it persisted before it crashed, nothing else.
type Store interface {
	// Get returns the last record persisted under key.
	Get(key string) (any, bool)
	// Keys returns every key with a record, in sorted order.
	Keys() []string
}

// Factory builds a replica from its configuration and durable storage. It
// is called at boot (with an empty store) and after every restart.
type Factory func(cfg Config, store Store) Node

// Env is a handler's view of the world: its inputs (the local clock, the
// random source) and the buffer its effects are written to. The world
// reuses one Env per replica, so handlers must not keep it.
type Env struct {
	Config
	// NowNs is the replica's local clock, in nanoseconds. It may be skewed
	// from other replicas' clocks and from real (simulated) time.
	NowNs int64
	// Rand is this replica's own random source.
	Rand *rand.Rand

	Sends    []Send
	Timers   []TimerSet
	Replies  []ClientReply
	Persists []Record
}

// Send is a message to deliver to a replica.
type Send struct {
	To  NodeID
	Msg Message
	// For is the client operation the message works for (see Serves).
	For Serves
}

// TimerSet asks for Timer to fire AfterNs nanoseconds of local time from now.
type TimerSet struct {
	AfterNs int64
	Timer   Timer
	// For is the client operation the timer works for (see Serves).
	For Serves
}

// ClientReply is a reply to deliver to a client.
type ClientReply struct {
	To    ClientID
	Reply Reply
}

// Record is one durable write: Value becomes the record under Key. Value
// must not be mutated afterwards: storage keeps it as it is.
type Record struct {
	Key   string
	Value any
}

// Send queues m for replica to.
func (e *Env) Send(to NodeID, m Message) { e.Sends = append(e.Sends, Send{To: to, Msg: m}) }

// Broadcast queues m for every replica, this one included.
func (e *Env) Broadcast(m Message) {
	for i := 0; i < e.N; i++ {
		e.Sends = append(e.Sends, Send{To: NodeID(i), Msg: m})
	}
}

// SetTimer asks for t to fire after afterNs nanoseconds.
func (e *Env) SetTimer(afterNs int64, t Timer) {
	e.Timers = append(e.Timers, TimerSet{AfterNs: afterNs, Timer: t})
}

// Reply queues r for client to. Any replica may reply to any client (a
// backup that forwarded a request may leave the answer to the primary);
// the world credits the reply to the request r.ID answers.
func (e *Env) Reply(to ClientID, r Reply) { e.Replies = append(e.Replies, ClientReply{to, r}) }

// Persist writes v under key to durable storage. The world applies
// persists before it sends anything from the same handler, as etcd raft's
// Ready asks of its caller, so a reply never runs ahead of the state it
// reports.
func (e *Env) Persist(key string, v any) { e.Persists = append(e.Persists, Record{key, v}) }

// Reset clears the effect buffers, keeping their capacity.
func (e *Env) Reset() {
	clear(e.Sends)
	clear(e.Replies)
	clear(e.Persists)
	e.Sends, e.Timers, e.Replies, e.Persists = e.Sends[:0], e.Timers[:0], e.Replies[:0], e.Persists[:0]
}

// LoadAll returns every record of store, each of type T, by key: how a
// replica whose records are all of one type rebuilds its state at start.
func LoadAll[T any](store Store) map[string]T {
	m := map[string]T{}
	for _, k := range store.Keys() {
		v, _ := store.Get(k)
		m[k] = v.(T)
	}
	return m
}
