package sweep

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	_ "github.com/casimlab/casim/protocol/all"
	"github.com/casimlab/casim/sim"
)

func TestShardPartitionsTheRange(t *testing.T) {
	seen := map[uint64]int{}
	for i := range 4 {
		for _, s := range Shard(7, 30, i, 4) {
			seen[s]++
		}
	}
	require.Len(t, seen, 30)
	for s, n := range seen {
		require.Equal(t, 1, n, "seed %d", s)
		require.True(t, s >= 7 && s < 37)
	}
	for _, bad := range []string{"4/4", "-1/2", "1", "a/b", "0/0"} {
		_, _, err := ParseShard(bad)
		require.Error(t, err, bad)
	}
}

func paxos(seed uint64) (sim.Scenario, error) {
	return sim.Scenario{Config: sim.DefaultConfig("paxos", seed)}, nil
}

// A stopped sweep (Ctrl-C) starts no more seeds but reports every seed it
// ran, in order, marked interrupted.
func TestStoppedSweepReportsWhatRan(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var reported []uint64
	sum, err := Run(ctx, Config{Protocol: "paxos", Start: 1, Seeds: Shard(1, 100000, 0, 1), Workers: 2, Scenario: paxos,
		Progress: func(o *Outcome, s *Summary) {
			reported = append(reported, o.Seed)
			if s.Seeds == 5 {
				stop()
			}
		}})
	require.NoError(t, err)
	require.True(t, sum.Interrupted)
	require.Less(t, sum.Seeds, 100)
	require.Len(t, reported, sum.Seeds)
	for i, s := range reported {
		require.Equal(t, uint64(i+1), s, "seeds are reported in order, none skipped")
	}
}

// Each hands results over in job order whatever the workers, and stops at
// the first error.
func TestEachIsInJobOrder(t *testing.T) {
	jobs := Shard(0, 200, 0, 1)
	for _, w := range []int{1, 2, 7} {
		var got []uint64
		n, err := Each(context.Background(), w, jobs, func(j uint64) (uint64, error) { return j * j, nil },
			func(i int, r uint64) { got = append(got, r) })
		require.NoError(t, err)
		require.Equal(t, len(jobs), n)
		for i, r := range got {
			require.Equal(t, uint64(i*i), r)
		}
	}
	n, err := Each(context.Background(), 3, jobs, func(j uint64) (uint64, error) {
		if j == 50 {
			return 0, context.Canceled
		}
		return j, nil
	}, func(int, uint64) {})
	require.ErrorIs(t, err, context.Canceled)
	require.LessOrEqual(t, n, 50)
}

// The summary does not depend on the number of workers.
func TestSummaryIndependentOfWorkers(t *testing.T) {
	run := func(w int) *Summary {
		s, err := Run(context.Background(), Config{Protocol: "paxos", Start: 1, Seeds: Shard(1, 8, 0, 1), Workers: w, Scenario: paxos})
		require.NoError(t, err)
		s.WallNs, s.SeedsPerS, s.EventsPerS = 0, 0, 0
		return s
	}
	if diff := cmp.Diff(run(1), run(3), cmp.AllowUnexported(Summary{}, OpFigures{}, Histogram{})); diff != "" {
		t.Errorf("(-1 worker +3 workers):\n%s", diff)
	}
}

// The determinism recheck names exactly the seeds whose second run
// differs, and no seed of a deterministic sweep.
func TestRecheckNamesTheDifferingSeed(t *testing.T) {
	c := Config{Protocol: "paxos", Start: 1, Seeds: Shard(1, 4, 0, 1), Workers: 2, Scenario: paxos, CheckDeterminism: true}
	sum, err := Run(context.Background(), c)
	require.NoError(t, err)
	require.True(t, sum.CheckedDeterminism)
	require.Empty(t, sum.Nondeterministic)

	c.Perturb = func(sc sim.Scenario) sim.Scenario {
		if sc.Seed == 3 {
			sc.Network.DropRatio += 0.2
		}
		return sc
	}
	sum, err = Run(context.Background(), c)
	require.NoError(t, err)
	require.Len(t, sum.Nondeterministic, 1)
	m := sum.Nondeterministic[0]
	require.Equal(t, uint64(3), m.Seed)
	require.NotEqual(t, m.Hash, m.SecondHash)
	require.NotEqual(t, m.Procs, m.SecondProcs)
}
