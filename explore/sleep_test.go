package explore

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
)

// Sleep sets prune steps, never states: with and without them the exact
// search reaches the same number of unique states and the same
// histories, to the same verdict, and with them it takes fewer steps.
func TestSleepSetsKeepStates(t *testing.T) {
	for _, tc := range []struct {
		name, protocol, workload string
		replicas                 int
		crashes, dups            int
	}{
		{"paxos write", "paxos", "write", 3, 0, 0},
		{"paxos two clients", "paxos", "read;read", 2, 0, 0},
		{"paxos with a crash and a dup", "paxos", "write", 2, 1, 1},
		{"caspaxos two clients", "caspaxos", "write;cas", 2, 0, 0},
		{"abd two clients", "abd", "write;read", 2, 0, 0},
		{"paxos/accept-any-ballot", "paxos/accept-any-ballot", "write,cas;cas", 2, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if (raceEnabled || testing.Short()) && tc.name != "paxos write" && tc.name != "abd two clients" {
				t.Skip("a search of seconds: without -race or -short only")
			}
			cfg := targetConfig(t, tc.protocol, tc.workload, -1)
			cfg.Replicas = tc.replicas
			cfg.NoReplicaTimers, cfg.DeadlineNs, cfg.MinLatencyNs = true, 0, 0
			cfg.Crashes, cfg.Dups = tc.crashes, tc.dups
			cfg.NoEager = true // eager deliveries skip states (TestEagerKeepsHistories)
			require.True(t, cfg.sleepSets())
			with, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			cfg.NoSleepSets = true
			without, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			require.Equal(t, without.Verdict, with.Verdict)
			require.Positive(t, with.Slept)
			require.Less(t, with.States, without.States)
			t.Logf("%d unique; %d steps (%d without sleep sets), %d asleep, %d expanded again", with.Unique, with.States, without.States, with.Slept, with.Reexpanded)
			if with.Verdict == checker.Illegal {
				require.Equal(t, len(without.Path), len(with.Path))
				return
			}
			require.True(t, with.Complete)
			require.Equal(t, without.Unique, with.Unique)
			require.Equal(t, slices.Sorted(maps.Keys(without.histories)), slices.Sorted(maps.Keys(with.histories)))
		})
	}
}
