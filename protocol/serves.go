package protocol

// Serves says which client operation a message or timer works for. The
// world credits the message to that operation: in traces and the HTML
// report, in per-operation message counts, and in the random draws it
// keys by operation (so that removing one operation leaves the others'
// messages as they were).
//
// The zero value, Inherit, is the operation of the input being handled:
// the request, or the operation the message or timer being handled was
// credited to. That is right for a protocol that works on one operation
// at a time (paxos, abd). A protocol that batches — a primary that
// replicates several operations' writes in one message, a leader with a
// log — names the request a message serves (ServesRequest), or ServesNone
// for a message that serves several operations or none.
//
// Replies need no such word: the world credits a reply to the request it
// answers, by its ID.
type Serves struct {
	how uint8 // 0: inherit, 1: request id, 2: none
	id  uint64
}

// Inherit credits a message or timer to the operation of the input being
// handled.
var Inherit = Serves{}

// ServesNone credits a message or timer to no operation.
var ServesNone = Serves{how: 2}

// ServesRequest credits a message or timer to the operation whose request
// has this ID (Request.ID).
func ServesRequest(id uint64) Serves { return Serves{how: 1, id: id} }

// Request returns the request ID s names, if it names one.
func (s Serves) Request() (id uint64, ok bool) { return s.id, s.how == 1 }

// None says whether s credits no operation.
func (s Serves) None() bool { return s.how == 2 }

// SendFor queues m for replica to, credited to s.
func (e *Env) SendFor(to NodeID, m Message, s Serves) {
	e.Sends = append(e.Sends, Send{To: to, Msg: m, For: s})
}

// BroadcastFor queues m for every replica, this one included, credited to
// s.
func (e *Env) BroadcastFor(m Message, s Serves) {
	for i := 0; i < e.N; i++ {
		e.Sends = append(e.Sends, Send{To: NodeID(i), Msg: m, For: s})
	}
}

// SetTimerFor asks for t to fire after afterNs nanoseconds, credited to s.
func (e *Env) SetTimerFor(afterNs int64, t Timer, s Serves) {
	e.Timers = append(e.Timers, TimerSet{AfterNs: afterNs, Timer: t, For: s})
}
