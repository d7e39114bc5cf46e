// Package register is the state of one key as the consensus protocols
// (paxos, caspaxos) choose it: the register's data and the window of recent
// operations' outcomes, and the evaluation of a client request on it.
//
// Why the outcomes travel with the data: a client retries a timed-out
// request at another coordinator with the same token, so one operation can
// run twice. A coordinator that finds its token among the chosen value's
// outcomes answers from it instead of evaluating again. Both outcomes are
// kept, applied and compare failed: storing only applied tokens let a late
// second execution apply a cas whose client had been told it failed (about
// 1.5% of seeds on a prototype of paxos).
//
// A resolving read that finds no outcome records one too: NotApplied, a
// tombstone. It is what makes the answer "not applied" final. The higher
// ballot of the resolving read's proposal already keeps any older
// in-progress proposal of the operation from being chosen; the tombstone
// also stops a new execution that starts later (a request delayed in the
// network, a coordinator whose clock runs slow past the client's
// deadline): it finds the token and answers from it. Without the
// tombstone, finality would rest on coordinators checking deadlines, and
// so on clocks agreeing and messages arriving in time.
package register

import (
	"fmt"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/window"
)

// Outcome is how a tokened operation ended.
type Outcome uint8

const (
	// Applied: the write or cas took effect.
	Applied Outcome = iota + 1
	// CompareFailed: a cas whose compare failed; nothing changed.
	CompareFailed
	// NotApplied: a resolving read found nothing and made it final.
	NotApplied
)

// Value is one key's data and outcomes. It is immutable once built:
// proposals, messages and storage share it.
type Value struct {
	Has bool
	V   int64
	// Outcomes maps recent tokens to how their operations ended.
	Outcomes window.Window[Outcome]
}

// Equal reports whether v and w are the same data with the same outcomes.
// Every operation that changes a key's value records a fresh token in
// its window (evicting only older ones), so two values of one key's
// history are equal only if nothing changed the key between them.
func (v Value) Equal(w Value) bool {
	return v.Has == w.Has && v.V == w.V && window.Equal(v.Outcomes, w.Outcomes)
}

// Lookup finds the outcome of tok, sent in session. known is false when
// tok may have been evicted from the window.
func (v Value) Lookup(tok protocol.Token, session protocol.Session) (o Outcome, found, known bool) {
	return v.Outcomes.Lookup(tok, session)
}

// With returns v after recording the outcome of tok, sent in session, and
// setting the data to (has, data).
func (v Value) With(tok protocol.Token, session protocol.Session, o Outcome, has bool, data int64) Value {
	return Value{Has: has, V: data, Outcomes: v.Outcomes.With(tok, session, o)}
}

// Result is a request evaluated on a key's current value.
type Result struct {
	// Next is the value to propose; the current one when nothing changes.
	Next Value
	// Reply is the answer to send once Next is chosen.
	Reply protocol.Reply
	// Recorded: the token's outcome is already in the window (Reply
	// repeats it), or may have been evicted from it (Reply is Unknown).
	// Next is the current value; the operation must not run again.
	Recorded bool
	// Writes: Next changes the data (a write, or a cas whose compare
	// held). A read, a resolving read and a failed cas do not.
	Writes bool
}

// Eval evaluates req, sent by client, on cur. A resolving request that finds no outcome is
// answered NotApplied; the protocol must make that final before replying.
func Eval(cur Value, req protocol.Request, client protocol.ClientID) Result {
	r := Result{Next: cur, Reply: protocol.Reply{Status: protocol.OK}}
	session := req.Session(client)
	if req.Resolve || req.Op.Kind != model.Read {
		o, found, known := cur.Lookup(req.Token, session)
		switch {
		case found:
			r.Reply.Status = map[Outcome]protocol.Status{Applied: protocol.OK,
				CompareFailed: protocol.CompareFailed, NotApplied: protocol.NotApplied}[o]
			r.Recorded = true
			return r
		case !known:
			r.Reply.Status, r.Recorded = protocol.Unknown, true
			return r
		}
	}
	switch in := req.Op; {
	case req.Resolve:
		r.Next = cur.With(req.Token, session, NotApplied, cur.Has, cur.V)
		r.Reply.Status = protocol.NotApplied
	case in.Kind == model.Read:
		r.Reply.Has, r.Reply.Value = cur.Has, cur.V
	case in.Kind == model.Write, cur.Has && cur.V == in.Expected:
		r.Next, r.Writes = cur.With(req.Token, session, Applied, true, in.Value), true
	default: // cas, compare failed: record it, keep the data
		r.Next = cur.With(req.Token, session, CompareFailed, cur.Has, cur.V)
		r.Reply.Status = protocol.CompareFailed
	}
	return r
}

// String renders a value compactly for traces: the data and the window's
// size, not every token.
func (v Value) String() string {
	data := "∅"
	if v.Has {
		data = fmt.Sprint(v.V)
	}
	return fmt.Sprintf("%s (%d outcomes)", data, v.Outcomes.Len())
}
