// Package window keeps, per key, a bounded record of the recent operations'
// idempotency tokens, each with what the protocol needs to remember about
// it (an outcome, a write's tag). It is how a retried or hedged copy of an
// operation, and a client's resolving read, learn what became of it, the
// way DynamoDB keeps client request tokens for ten minutes.
//
// A token evicted from the window cannot be told apart from one that never
// arrived, so the window remembers the latest evicted token time: a token
// not found and no newer than that is unknown, not absent.
package window

import (
	"slices"

	"github.com/casimlab/casim/protocol"
)

// Size bounds a window. With the default scenario's ~50 operations per key
// a window this size evicts only the oldest tokens of a run.
const Size = 32

// Window is immutable once built: messages and storage share it.
type Window[T any] struct {
	Entries []Entry[T]
	// EvictedNs is the latest token time ever evicted.
	EvictedNs int64
}

// Entry is one token and its data.
type Entry[T any] struct {
	Token protocol.Token
	Data  T
}

// Lookup finds tok's latest entry. known is false when tok may have been
// evicted.
func (w Window[T]) Lookup(tok protocol.Token) (d T, found, known bool) {
	for i := len(w.Entries) - 1; i >= 0; i-- {
		if e := w.Entries[i]; e.Token == tok {
			return e.Data, true, true
		}
	}
	return d, false, tok.TimeNs > w.EvictedNs
}

// With returns w after recording tok with d, evicting the oldest entry past
// Size. It copies: w is shared. Recording a token again appends a second
// entry, which Lookup then finds: that is how an entry is updated.
func (w Window[T]) With(tok protocol.Token, d T) Window[T] {
	n := Window[T]{EvictedNs: w.EvictedNs}
	keep := w.Entries
	if len(keep) >= Size {
		for _, e := range keep[:len(keep)-Size+1] {
			n.EvictedNs = max(n.EvictedNs, e.Token.TimeNs)
		}
		keep = keep[len(keep)-Size+1:]
	}
	n.Entries = append(slices.Clip(slices.Clone(keep)), Entry[T]{tok, d})
	return n
}

// Len is the number of entries.
func (w Window[T]) Len() int { return len(w.Entries) }
