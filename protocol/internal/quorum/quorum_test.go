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

func TestAcksCommitWhatEnoughReplicasHave(t *testing.T) {
	var a Acks
	a.Reset(3)
	if a.Committed(2) != 0 {
		t.Fatal("nothing acknowledged, nothing committed")
	}
	a.Ack(0, 5)
	if got := a.Committed(2); got != 0 {
		t.Fatalf("one replica at 5: committed %d, want 0", got)
	}
	a.Ack(2, 3)
	if got := a.Committed(2); got != 3 {
		t.Fatalf("replicas at 5 and 3: committed %d, want 3", got)
	}
	if a.Ack(2, 2) {
		t.Fatal("an older acknowledgement (a late copy) is no news")
	}
	if got := a.Committed(3); got != 0 {
		t.Fatalf("committed by all: %d, want 0", got)
	}
	a.Ack(1, 9)
	if got, want := a.Committed(3), uint64(3); got != want {
		t.Fatalf("committed by all: %d, want %d", got, want)
	}
}
