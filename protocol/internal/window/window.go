// Package window keeps, per key, a bounded record of the recent operations'
// idempotency tokens, each with what the protocol needs to remember about
// it (an outcome, a write's tag). It is how a retried or hedged copy of an
// operation, and a client's resolving read, learn what became of it, the
// way DynamoDB keeps client request tokens for ten minutes.
//
// A token evicted from the window cannot be told apart from one that never
// arrived, so the window remembers, for each session (a client's stream of
// operations, protocol.Session), the latest token time of that session's
// evicted entries: a token not found and no newer than its own session's
// mark is unknown, not absent.
//
// Finding (issue 11): the mark was once one number for all clients, the
// latest evicted token time of anyone. Token times come from client
// clocks, so a client whose clock ran a second ahead pushed the mark a
// second into everyone else's future, and every new token of the others
// was "unknown" (their operations never ran; 93 of 100 paxos seeds stuck
// under 1s of skew on one key). The same happened without skew to any
// operation slower than the 32 operations that overtook it on a busy key
// (16 clients on one key). A client's own mark depends only on its own
// clock, which only moves forward between its operations, so retention no
// longer depends on how far one client's clock is from another's. The
// client is the one the protocol saw send the request (protocol.ClientID);
// a deployment would carry a session id in the token, as Kafka's
// idempotent producer carries its producer id. A client that runs several
// operations at once can still see an older one of its own reported
// unknown if 32 newer ones overtook it on the same key. (That last
// limit is gone: the window now keeps its marks and limits per session,
// one stream of one operation at a time; see protocol.Session.)
package window

import (
	"slices"

	"github.com/casimlab/casim/protocol"
)

// Retention is per session, as Kafka's idempotent producer keeps the last
// five batches of each producer: a window keeps each session's PerSession
// most recent tokens (Size for Shared, which stands for every session),
// and at most MaxEntries in all.
//
// Finding (issue 11): a window of the last 32 tokens of anyone evicted,
// on a key sixteen clients shared, a client's applied write before the
// client's retry could find it (two operations per client fill it); the
// retry was answered Unknown until its deadline. A client runs one
// operation at a time per slot and keeps its token only until the
// operation is answered, so its few latest tokens are all it can still
// ask about, however busy the key is.
const (
	PerSession = 8
	Size       = 32
	MaxEntries = 256
)

// Window is immutable once built: messages and storage share it.
type Window[T any] struct {
	Entries []Entry[T]
	// Evicted holds, sorted by session, the latest token time each
	// session has had evicted.
	Evicted []Mark
}

// Entry is one token, the session that sent it, and its data.
type Entry[T any] struct {
	Token   protocol.Token
	Session protocol.Session
	Data    T
}

// Mark is one session's latest evicted token time.
type Mark struct {
	Session protocol.Session
	TimeNs  int64
}

// Equal reports whether a and b hold the same entries and marks.
func Equal[T comparable](a, b Window[T]) bool {
	return slices.Equal(a.Entries, b.Entries) && slices.Equal(a.Evicted, b.Evicted)
}

// evictedNs returns session's mark (the lowest time if none).
func (w Window[T]) evictedNs(session protocol.Session) int64 {
	i, ok := slices.BinarySearchFunc(w.Evicted, session, func(m Mark, s protocol.Session) int { return m.Session.Compare(s) })
	if !ok {
		return -1 << 63
	}
	return w.Evicted[i].TimeNs
}

// Lookup finds tok's latest entry. known is false when tok, sent in
// session, may have been evicted.
func (w Window[T]) Lookup(tok protocol.Token, session protocol.Session) (d T, found, known bool) {
	for i := len(w.Entries) - 1; i >= 0; i-- {
		if e := w.Entries[i]; e.Token == tok {
			return e.Data, true, true
		}
	}
	return d, false, tok.TimeNs > w.evictedNs(session)
}

// With returns w after recording tok, sent in session, with d, evicting
// session's oldest entry past its limit, or else the oldest entry past
// MaxEntries. It copies: w is shared. Recording a token again
// appends a second entry, which Lookup then finds: that is how an entry is
// updated.
func (w Window[T]) With(tok protocol.Token, session protocol.Session, d T) Window[T] {
	n := Window[T]{Evicted: w.Evicted}
	limit := PerSession
	if session == Shared {
		limit = Size
	}
	own, oldest := 0, -1
	for i, e := range w.Entries {
		if e.Session == session {
			if own == 0 {
				oldest = i
			}
			own++
		}
	}
	drop := -1 // the entry evicted, if any
	switch {
	case own >= limit:
		drop = oldest
	case len(w.Entries) >= MaxEntries:
		drop = 0
	}
	n.Entries = make([]Entry[T], 0, len(w.Entries)+1)
	for i, e := range w.Entries {
		if i == drop {
			n.Evicted = mark(slices.Clone(w.Evicted), e.Session, e.Token.TimeNs)
			continue
		}
		n.Entries = append(n.Entries, e)
	}
	n.Entries = append(n.Entries, Entry[T]{tok, session, d})
	return n
}

// mark raises session's mark in ms (owned by the caller) to at least ns.
func mark(ms []Mark, session protocol.Session, ns int64) []Mark {
	i, ok := slices.BinarySearchFunc(ms, session, func(m Mark, s protocol.Session) int { return m.Session.Compare(s) })
	if ok {
		ms[i].TimeNs = max(ms[i].TimeNs, ns)
		return ms
	}
	return slices.Insert(ms, i, Mark{session, ns})
}

// Shared is the session lww records every token under, so that it keeps
// one mark for all clients: its replicas store and repair a token without
// knowing which client sent it, and its window serves only resolving
// reads, not the liveness of the operations themselves. (abd once did the
// same for its write claims, which do decide liveness: see package abd.)
var Shared = protocol.Session{Client: -1}

// Len is the number of entries.
func (w Window[T]) Len() int { return len(w.Entries) }
