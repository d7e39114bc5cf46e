package window

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/protocol"
)

func tok(i int) protocol.Token { return protocol.Token{TimeNs: int64(100 + i), Nonce: uint64(i)} }

func TestWindowEvictsAndRemembersEvictions(t *testing.T) {
	var w Window[int]
	for i := range Size + 5 {
		w = w.With(tok(i), i)
	}
	require.Equal(t, Size, w.Len())
	// The oldest five were evicted: their outcome is unknown, not "absent".
	_, found, known := w.Lookup(tok(4))
	require.False(t, found)
	require.False(t, known)
	d, found, known := w.Lookup(tok(6))
	require.True(t, found && known)
	require.Equal(t, 6, d)
	// A token newer than every eviction and not in the window never ran.
	_, found, known = w.Lookup(protocol.Token{TimeNs: 1000, Nonce: 1})
	require.False(t, found)
	require.True(t, known)
}

// With must not write into a slice that an older Window shares.
func TestWindowCopiesOnWrite(t *testing.T) {
	var w Window[int]
	for i := range 3 {
		w = w.With(tok(i), i)
	}
	a := w.With(tok(10), 10)
	c := w.With(tok(20), 20)
	require.Equal(t, 10, a.Entries[3].Data)
	require.Equal(t, 20, c.Entries[3].Data)
	require.Equal(t, 3, w.Len())
}

func TestWindowLookupFindsLatestEntry(t *testing.T) {
	var w Window[int]
	w = w.With(tok(1), 1).With(tok(2), 2).With(tok(1), 3)
	d, found, _ := w.Lookup(tok(1))
	require.True(t, found)
	require.Equal(t, 3, d)
}
