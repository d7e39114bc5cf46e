package sim_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

// --faults crash-nodes=0 aims every drawn crash at replica 0, and
// isolate-nodes=0+2 every isolation at 0 or 2; the settings survive a
// scenario file; unaimed schedules are as they were.
func TestAimedFaults(t *testing.T) {
	crashes, isolations := 0, 0
	for seed := uint64(1); seed <= 30; seed++ {
		c := sim.DefaultConfig("pb", seed)
		require.NoError(t, c.ApplyFaults("crashes=4,partitions=3,partition-kinds=isolate,crash-nodes=0,isolate-nodes=0+2"))
		sc := sim.NewScenario(c)
		for _, f := range sc.Schedule {
			switch f.Kind {
			case sim.Crash:
				require.Equal(t, []int{0}, f.Nodes)
				crashes++
			case sim.Isolate:
				require.Contains(t, []int{0, 2}, f.Nodes[0])
				require.Len(t, f.Nodes, 1)
				isolations++
			}
		}
		var b bytes.Buffer
		require.NoError(t, sc.WriteJSON(&b))
		require.Contains(t, b.String(), `"crash_nodes": [`)
		back, err := sim.ReadScenario(&b)
		require.NoError(t, err)
		require.Equal(t, sc, back)
		// A hand-written file that aims but leaves the schedule to the seed.
		hand := `{"casim_scenario": 1, "protocol": "pb", "seed": 3, "faults": {"crashes": 3, "crash_nodes": [1]}}`
		hs, err := sim.ReadScenario(bytes.NewReader([]byte(hand)))
		require.NoError(t, err)
		for _, f := range hs.Schedule {
			if f.Kind == sim.Crash {
				require.Equal(t, []int{1}, f.Nodes)
			}
		}
	}
	require.Positive(t, crashes)
	require.Positive(t, isolations)

	c := sim.DefaultConfig("pb", 1)
	require.NoError(t, c.ApplyFaults("crash-nodes=5"))
	require.ErrorContains(t, c.Validate(), "crash nodes: replica 5 is not in 0..2")
	require.ErrorContains(t, c.ApplyFaults("isolate-nodes=a"), `"a" is not a list of replicas such as 0+2`)
}

// Swarm draws how many faults strike, not where: aims survive it.
func TestSwarmKeepsAims(t *testing.T) {
	c := sim.DefaultConfig("pb", 4)
	require.NoError(t, c.ApplyFaults("crash-nodes=0,isolate-nodes=2"))
	c.Swarm(true)
	require.Equal(t, []int{0}, c.Faults.CrashNodes)
	require.Equal(t, []int{2}, c.Faults.IsolateNodes)
}
