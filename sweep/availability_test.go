package sweep

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A sweep's availability is over all its operations, not a mean of the
// seeds' shares; its longest stall is the worst seed's. Merged shards
// agree with one sweep.
func TestAvailabilityAddsUpOverSeeds(t *testing.T) {
	a := &Outcome{Seed: 1, Protocol: "pb", Verdict: "ok", Ops: 100, InTime: 100, MaxStallNs: 5}
	b := &Outcome{Seed: 2, Protocol: "pb", Verdict: "ok", Ops: 300, InTime: 200, MaxStallNs: 9}
	var s Summary
	s.Add(a)
	s.Add(b)
	require.InDelta(t, 0.75, s.Availability, 1e-9)
	require.Equal(t, int64(9), s.MaxStallNs)
	require.Equal(t, uint64(2), s.MaxStallSeed)
	tot := NewTotals()
	tot.Add(b)
	tot.Add(a)
	require.InDelta(t, s.Availability, tot.Availability, 1e-9)
	require.Equal(t, s.MaxStallNs, tot.MaxStallNs)
	require.Equal(t, s.MaxStallSeed, tot.MaxStallSeed)
}
