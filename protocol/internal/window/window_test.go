package window

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/protocol"
)

func tok(i int) protocol.Token { return protocol.Token{TimeNs: int64(100 + i), Nonce: uint64(i)} }

// sess is client c's only stream.
func sess(c int) protocol.Session { return protocol.Session{Client: protocol.ClientID(c)} }

func TestWindowEvictsAndRemembersEvictions(t *testing.T) {
	var w Window[int]
	for i := range Size + 5 {
		w = w.With(tok(i), Shared, i)
	}
	require.Equal(t, Size, w.Len())
	// The oldest five were evicted: their outcome is unknown, not "absent".
	_, found, known := w.Lookup(tok(4), Shared)
	require.False(t, found)
	require.False(t, known)
	d, found, known := w.Lookup(tok(6), Shared)
	require.True(t, found && known)
	require.Equal(t, 6, d)
	// A token newer than every eviction and not in the window never ran.
	_, found, known = w.Lookup(protocol.Token{TimeNs: 1000, Nonce: 1}, Shared)
	require.False(t, found)
	require.True(t, known)
}

// A client keeps its own latest tokens however many other clients write
// the key: sixteen busy clients must not evict a seventeenth's token.
func TestWindowKeepsEachClientsLatest(t *testing.T) {
	var w Window[int]
	w = w.With(tok(0), sess(99), 0)
	for i := range 16 * PerSession {
		w = w.With(tok(1+i), sess(i%16), i)
	}
	_, found, _ := w.Lookup(tok(0), sess(99))
	require.True(t, found, "a quiet client's token survives the others' traffic")
	require.Equal(t, 16*PerSession+1, w.Len())
	// Its own ninth token evicts its first.
	for i := range PerSession {
		w = w.With(protocol.Token{TimeNs: int64(10_000 + i)}, sess(99), i)
	}
	_, found, known := w.Lookup(tok(0), sess(99))
	require.False(t, found)
	require.False(t, known)
	// MaxEntries bounds the whole window.
	for i := range MaxEntries {
		w = w.With(protocol.Token{TimeNs: int64(20_000 + i)}, sess(1000+i), i)
	}
	require.Equal(t, MaxEntries, w.Len())
}

// With must not write into a slice that an older Window shares.
func TestWindowCopiesOnWrite(t *testing.T) {
	var w Window[int]
	for i := range 3 {
		w = w.With(tok(i), sess(0), i)
	}
	a := w.With(tok(10), sess(0), 10)
	c := w.With(tok(20), sess(0), 20)
	require.Equal(t, 10, a.Entries[3].Data)
	require.Equal(t, 20, c.Entries[3].Data)
	require.Equal(t, 3, w.Len())
}

func TestWindowLookupFindsLatestEntry(t *testing.T) {
	var w Window[int]
	w = w.With(tok(1), sess(0), 1).With(tok(2), sess(0), 2).With(tok(1), sess(0), 3)
	d, found, _ := w.Lookup(tok(1), sess(0))
	require.True(t, found)
	require.Equal(t, 3, d)
}

// A client whose clock runs ahead must not make the others' new tokens
// unknown: each client has its own mark. With one mark for all (the old
// rule), the lagging client's fresh token below would be unknown, and its
// operation would never run.
func TestWindowMarksArePerClient(t *testing.T) {
	var w Window[int]
	ahead := sess(1)
	for i := range Size + 5 {
		w = w.With(protocol.Token{TimeNs: 1_000_000 + int64(i), Nonce: uint64(i)}, ahead, i)
	}
	_, found, known := w.Lookup(protocol.Token{TimeNs: 1_000_000, Nonce: 0}, ahead)
	require.False(t, found)
	require.False(t, known, "the ahead client's own evicted token is unknown")
	_, found, known = w.Lookup(protocol.Token{TimeNs: 500, Nonce: 77}, sess(2))
	require.False(t, found)
	require.True(t, known, "a lagging client's fresh token is known absent")
	// Interleaved clients: marks stay sorted and per client.
	for i := range 2 * Size {
		w = w.With(protocol.Token{TimeNs: int64(10 + i), Nonce: uint64(100 + i)}, sess(3+i%3), i)
	}
	for c := 3; c < 6; c++ {
		_, _, known = w.Lookup(protocol.Token{TimeNs: 9, Nonce: 1}, sess(c))
		require.False(t, known, "client %d had tokens after time 9 evicted", c)
	}
	require.True(t, slicesSorted(w.Evicted))
}

func slicesSorted(ms []Mark) bool {
	for i := 1; i < len(ms); i++ {
		if ms[i-1].Session.Compare(ms[i].Session) >= 0 {
			return false
		}
	}
	return true
}

// A client running several operations at once keeps each stream's
// latest tokens: an operation of one stream, overtaken by many newer ones
// of the same client's other stream, is still found (caspaxos seeds 324
// and 520 of the default sweep, with three operations in flight per
// client, answered such an operation Unknown for good when the window
// kept eight tokens per client).
func TestWindowKeepsEachStreamsLatest(t *testing.T) {
	slow, busy := protocol.Session{Client: 7, Stream: 0}, protocol.Session{Client: 7, Stream: 1}
	var w Window[int]
	w = w.With(tok(0), slow, 0)
	for i := range 4 * PerSession {
		w = w.With(tok(1+i), busy, i)
	}
	_, found, known := w.Lookup(tok(0), slow)
	require.True(t, found && known, "the slow stream's token survives its client's other stream")
	// The busy stream's own old tokens are gone, and known to be.
	_, found, known = w.Lookup(tok(1), busy)
	require.False(t, found || known)
	require.True(t, slicesSorted(w.Evicted))
	require.Equal(t, 1+PerSession, w.Len())
}
