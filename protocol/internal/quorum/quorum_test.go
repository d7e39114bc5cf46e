package quorum

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTally(t *testing.T) {
	var q Tally
	q.Reset(2)
	require.True(t, q.First(0))
	require.False(t, q.First(0), "a duplicated answer counts once")
	require.False(t, q.OK())
	require.True(t, q.First(2))
	require.True(t, q.Answered(2))
	require.False(t, q.Answered(1))
	require.True(t, q.OK(), "the second answer completes a quorum of 2")
	require.False(t, q.OK(), "completion is reported once")

	// Of 3 replicas needing 2, the second refusal makes it impossible.
	q.Reset(2)
	require.False(t, q.Nack(3))
	require.True(t, q.Nack(3))
	require.False(t, q.Nack(3))
}
