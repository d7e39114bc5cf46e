package explore

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/protocol"
)

// Eager deliveries skip states, never histories: with and without them
// the exact search reaches the same histories, to the same verdict, in
// fewer states, and the same states with no step left (a persistent set
// keeps every such state: Godefroid's theorem). A rule that is not
// eager (every answer to a coordinator taken first: promises and read
// answers race, which two form a quorum decides what the coordinator
// sees) loses some of those, and the same comparison catches it.
func TestEagerKeepsHistories(t *testing.T) {
	answer := func(m protocol.Message) bool {
		switch m.Kind() {
		case "promise", "read-resp", "accept-resp", "commit-resp":
			return true
		}
		return false
	}
	caught := 0
	for _, tc := range []struct {
		name, protocol, workload string
		replicas                 int
	}{
		{"paxos write", "paxos", "write", 3},
		{"paxos write and cas", "paxos", "write;cas", 2},
		{"paxos three operations", "paxos", "write,read;cas", 2},
		{"paxos/cassandra-6012", "paxos/cassandra-6012", "write,cas;cas", 2},
		{"paxos/accept-any-ballot", "paxos/accept-any-ballot", "write,cas;cas", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if (raceEnabled || testing.Short()) && tc.name != "paxos write" {
				t.Skip("a search of seconds: without -race or -short only")
			}
			cfg := targetConfig(t, tc.protocol, tc.workload, -1)
			cfg.Replicas = tc.replicas
			cfg.NoReplicaTimers, cfg.DeadlineNs, cfg.MinLatencyNs = true, 0, 0
			require.True(t, cfg.eager())
			with, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			cfg.NoEager = true
			without, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			cfg.NoEager, cfg.eagerRule = false, answer
			wrong, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			t.Logf("%d unique, %d eager (%d without); wrong rule: %d unique, %d histories of %d, %d final states of %d, %s",
				with.Unique, with.Eager, without.Unique, wrong.Unique, len(wrong.histories), len(without.histories),
				len(wrong.terminals), len(without.terminals), wrong.Verdict)
			require.Equal(t, without.Verdict, with.Verdict)
			require.Positive(t, with.Eager)
			require.Less(t, with.Unique, without.Unique)
			if wrong.Verdict != without.Verdict || !maps.Equal(wrong.histories, without.histories) ||
				!maps.Equal(wrong.terminals, without.terminals) {
				caught++
			}
			if with.Verdict == checker.Illegal {
				return
			}
			require.True(t, with.Complete)
			require.Equal(t, slices.Sorted(maps.Keys(without.histories)), slices.Sorted(maps.Keys(with.histories)))
			require.NotEmpty(t, with.terminals)
			require.Equal(t, slices.Sorted(maps.Keys(without.terminals)), slices.Sorted(maps.Keys(with.terminals)))
		})
	}
	if !raceEnabled && !testing.Short() {
		require.Positive(t, caught, "no search told the wrong rule from the exact one")
	}
}
