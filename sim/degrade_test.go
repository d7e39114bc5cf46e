package sim_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// Every correct protocol with degrade=one under long partitions: no
// violation among the strong answers, degraded answers counted, and their
// staleness reported. Retries are off so that a read whose coordinator is
// cut off reaches its deadline and degrades. The protocols come from the
// registry (a list by hand missed paxos2), so a new correct protocol is
// covered, or refused here if its replicas cannot read alone.
func TestDegradeOneUnderPartitions(t *testing.T) {
	stale := false
	var names []string
	for _, p := range protocol.All() {
		if p.Linearizable && !strings.HasPrefix(p.Name, "test/") {
			names = append(names, p.Name)
		}
	}
	require.GreaterOrEqual(t, len(names), 5, "the registry's correct protocols")
	for _, name := range names {
		degraded := 0
		for seed := uint64(1); seed <= 8; seed++ {
			c, err := sim.ProtocolDefault(name, seed)
			require.NoError(t, err)
			require.NoError(t, c.ApplyFaults("partitions=3,partition-kinds=isolate+split,partition-min=300ms,partition-max=600ms,retry=off,degrade=one"))
			o, err := sweep.Simulate(sim.Scenario{Config: c}, sim.Options{}, 0, false)
			require.NoError(t, err)
			require.NotEqual(t, checker.Illegal, o.Verdict, "%s seed %d: %s", name, seed, o.Check.Explanation)
			require.Equal(t, o.Result.Stats.Degraded, o.Degraded, "the history marks every degraded answer")
			degraded += o.Degraded
			stale = stale || o.MaxStalenessNs > 0
		}
		t.Logf("%s: %d degraded reads in 8 seeds", name, degraded)
		require.Positive(t, degraded, name)
	}
	require.True(t, stale, "some degraded read was stale, and its staleness reported")
}

func TestDegradeRefusedWhereReplicasCannotReadAlone(t *testing.T) {
	c := sim.DefaultConfig("test/refuse-reads", 1) // wraps abd's node: no LocalRead
	require.NoError(t, c.ApplyFaults("degrade=one"))
	require.ErrorContains(t, c.Validate(), "degrade=one is refused")
	require.NoError(t, c.ApplyFaults("degrade=cache"))
	require.NoError(t, c.Validate())
	require.Error(t, c.ApplyFaults("degrade=two"))
}
