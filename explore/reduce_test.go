package explore

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
)

// The reductions that the protocols offer (protocol.StateEncoder,
// Cloner, Staleness; caspaxos offers Staleness alone) and the
// explorer's own (stale replies and never fired timers dropped) merge only states that behave alike, so the
// search must reach exactly the histories it reaches without them, to
// the same verdict, in fewer states.
func TestReductionsKeepHistories(t *testing.T) {
	restricted := func(c *Config) { c.NoReplicaTimers, c.DeadlineNs, c.MinLatencyNs = true, 0, 0 }
	for _, tc := range []struct {
		name, protocol, workload string
		replicas                 int
		model                    func(*Config)
		maxDepth                 int
	}{
		{"paxos write", "paxos", "write", 3, restricted, 0},
		{"paxos two clients", "paxos", "read;read", 2, restricted, 0},
		{"paxos three operations", "paxos", "write,read;cas", 1, restricted, 0},
		{"paxos with a crash and a dup", "paxos", "write", 2, func(c *Config) { restricted(c); c.Crashes, c.Dups = 1, 1 }, 0},
		{"paxos full model", "paxos", "write;read", 2, func(c *Config) {}, 8},
		{"paxos/cassandra-6012", "paxos/cassandra-6012", "write,cas;cas", 2, restricted, 0},
		{"paxos/accept-any-ballot", "paxos/accept-any-ballot", "write,cas;cas", 2, restricted, 0},
		{"caspaxos write", "caspaxos", "write", 3, restricted, 0},
		{"caspaxos two clients", "caspaxos", "write;cas", 2, restricted, 0},
		{"caspaxos with a crash and a dup", "caspaxos", "write", 2, func(c *Config) { restricted(c); c.Crashes, c.Dups = 1, 1 }, 0},
		{"caspaxos full model", "caspaxos", "write;cas", 2, func(c *Config) {}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if (raceEnabled || testing.Short()) && tc.name != "paxos three operations" {
				t.Skip("a search of seconds: without -race or -short only")
			}
			cfg := targetConfig(t, tc.protocol, tc.workload, -1)
			cfg.Replicas = tc.replicas
			tc.model(&cfg)
			cfg.MaxDepth = tc.maxDepth
			red, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			cfg.unreduced = true
			plain, err := Explore(context.Background(), cfg)
			require.NoError(t, err)
			require.Equal(t, plain.Verdict, red.Verdict)
			require.Equal(t, plain.Complete, red.Complete)
			require.Less(t, red.Unique, plain.Unique)
			t.Logf("%d unique states (%d without the reductions), %d histories", red.Unique, plain.Unique, len(red.histories))
			if red.Verdict == checker.Illegal {
				// Breadth first, both find a shortest counterexample.
				require.Equal(t, len(plain.Path), len(red.Path))
				return
			}
			require.Equal(t, slices.Sorted(maps.Keys(plain.histories)), slices.Sorted(maps.Keys(red.histories)),
				"the reduced search reached other histories")
			require.Equal(t, tc.maxDepth == 0, red.Complete)
		})
	}
}
