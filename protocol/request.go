package protocol

import "github.com/casimlab/casim/model"

// Token is an idempotency token, as Netflix's KeyValue client attaches to
// every mutation: the client's clock reading when it created the operation
// and a random nonce. Retried and hedged copies of one operation carry the
// same token, so a protocol can recognise them.
type Token struct {
	TimeNs int64
	Nonce  uint64
}

// Less orders tokens by time, then nonce: the last-write-wins order.
func (t Token) Less(u Token) bool {
	if t.TimeNs != u.TimeNs {
		return t.TimeNs < u.TimeNs
	}
	return t.Nonce < u.Nonce
}

// Request is one attempt of a client operation, sent to a coordinator.
type Request struct {
	// ID identifies this attempt; the reply carries it back.
	ID uint64
	Op model.Input
	// Token is the operation's idempotency token, the same on every
	// attempt of one operation (unless the client is configured not to).
	Token Token
	// TimeoutNs is how long the client will still wait for this attempt
	// when it sends it (never past the operation's deadline), as gRPC
	// sends a timeout rather than a deadline: clocks need not agree.
	TimeoutNs int64
	// DeadlineNs is that deadline on the coordinator's clock, set by the
	// world on arrival (arrival time + TimeoutNs), so a request delayed in
	// the network has its delay added. A coordinator must not start new
	// work for a request past it. Protocols must not rely on it for
	// safety: a delayed request can outlive its client's patience; what
	// makes a "not applied" answer final is recorded in the protocol.
	DeadlineNs int64
	// Resolve asks, instead of running Op, whether the operation with this
	// Token was applied (a serial read of the key's recent tokens).
	Resolve bool
	// Stream tells the client's concurrent streams of operations apart
	// (the simulator sends its slot's number): each stream runs one
	// operation at a time. See Session.
	Stream uint32
}

// Session is one sequential stream of a client's operations: the client
// endpoint and the stream the request names. A protocol that remembers
// recent tokens per sender (package window) keeps them per session: a
// session starts its next operation only once the last is answered or
// abandoned, so its few latest tokens are all it can still ask about.
// Per client endpoint that held only for one operation at a time: with
// three in flight on one key, an operation overtaken by eight of its own
// client's newer ones was evicted and answered Unknown for good (caspaxos
// seeds 324 and 520 of the default sweep once it allowed 6 operations in
// flight on a key; issue 11). A deployment carries a session id in the
// token's envelope, as Raft's client sessions and Kafka's idempotent
// producer ids do.
type Session struct {
	Client ClientID
	Stream uint32
}

// Session is the session req belongs to, sent by from.
func (req Request) Session(from ClientID) Session { return Session{from, req.Stream} }

// Compare orders sessions by client, then stream.
func (s Session) Compare(t Session) int {
	if s.Client != t.Client {
		return int(s.Client) - int(t.Client)
	}
	return int(s.Stream) - int(t.Stream)
}

// Kind makes Request a Message, so it can travel the simulated network.
func (Request) Kind() string { return "request" }

// Forward is req as a replica passes it on to another: TimeoutNs is the
// time left before its deadline on this replica's clock (nowNs), since
// the next replica's clock differs. ok is false when no time is left: the
// client has stopped waiting for this attempt.
func (req Request) Forward(nowNs int64) (fwd Request, ok bool) {
	req.TimeoutNs = req.DeadlineNs - nowNs
	return req, req.TimeoutNs > 0
}

// Arrive is req as the replica that receives it sees it: DeadlineNs on
// its own clock (nowNs), TimeoutNs from now. The world does this for a
// request from a client; a replica does it for one forwarded to it.
func (req Request) Arrive(nowNs int64) Request {
	req.DeadlineNs = nowNs + req.TimeoutNs
	return req
}

// Status is how a coordinator reports an attempt.
type Status uint8

const (
	// OK: the operation took effect (a read returns Has and Value).
	OK Status = iota
	// CompareFailed: a cas whose compare failed; it changed nothing.
	CompareFailed
	// NotApplied: the operation did not take effect and never will. Only
	// a protocol that can guarantee "never" may say so.
	NotApplied
	// Unknown: the coordinator gave up; the operation may or may not take
	// effect. The client may retry.
	Unknown
	// Unsupported: the protocol does not support this request.
	Unsupported
	// Overloaded: the replica shed the request without running it (the
	// simulator answers so for a replica past its queue limit, never a
	// protocol). It did not take effect; the client may retry elsewhere.
	Overloaded
)

var statusNames = [...]string{"ok", "compare-failed", "not-applied", "unknown", "unsupported", "overloaded"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status?"
}

// Reply answers one Request.
type Reply struct {
	ID     uint64
	Token  Token
	Status Status
	Has    bool // read: the key has a value
	Value  int64
}

// Kind makes Reply a Message, so it can travel the simulated network.
func (Reply) Kind() string { return "reply" }
