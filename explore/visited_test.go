package explore

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The visited set finds every hash it was given, under the id it was
// given, across the table's growths, and no other; hashes that collide
// in the table (the same low bits) probe past each other.
func TestVisitedSetFindsWhatItHolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var v visitedSet
	var hs []uint64
	for i := range 5000 {
		h := rng.Uint64()
		if i%7 == 0 {
			h = uint64(i) << 40 // a run of hashes alike in their low bits
		}
		if _, ok := v.get(h); ok {
			continue
		}
		require.Equal(t, int32(len(hs)), v.add(h))
		hs = append(hs, h)
	}
	require.Greater(t, len(v.slots), 4096, "the table grew")
	for id, h := range hs {
		got, ok := v.get(h)
		require.True(t, ok)
		require.Equal(t, int32(id), got)
	}
	for range 1000 {
		_, ok := v.get(rng.Uint64())
		require.False(t, ok)
	}
}
