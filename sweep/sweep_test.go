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
		r := Range{Start: 7, Count: 30, Shard: i, Shards: 4}
		require.Equal(t, []int{8, 8, 7, 7}[i], r.Len())
		for j := range r.Len() {
			seen[r.At(j)]++
		}
	}
	require.Len(t, seen, 30)
	for s, n := range seen {
		require.Equal(t, 1, n, "seed %d", s)
		require.True(t, s >= 7 && s < 37)
	}
	whole := Range{Start: 7, Count: 3}
	require.Equal(t, 3, whole.Len())
	require.Equal(t, uint64(9), whole.At(2))
	require.Zero(t, Range{Start: 1, Count: 2, Shard: 3, Shards: 4}.Len())
	// A range of a billion seeds costs nothing until it runs.
	huge := Range{Start: 1, Count: 1_000_000_000, Shard: 1, Shards: 2}
	require.Equal(t, 500_000_000, huge.Len())
	require.Equal(t, uint64(1_000_000_000), huge.At(huge.Len()-1))
	for _, bad := range []string{"4/4", "-1/2", "1", "a/b", "0/0"} {
		_, _, err := ParseShard(bad)
		require.Error(t, err, bad)
	}
}

func paxos(seed uint64) (sim.Scenario, error) {
	return sim.Scenario{Config: sim.DefaultConfig("paxos", seed)}, nil
}

// A stopped sweep (Ctrl-C) starts no more seeds but reports every seed it
// ran, in order, marked interrupted, and skips the determinism recheck.
func TestStoppedSweepReportsWhatRan(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var reported []uint64
	sum, err := Run(ctx, Config{Protocol: "paxos", Start: 1, Seeds: Range{Start: 1, Count: 100000}, Workers: 2, Scenario: paxos,
		CheckDeterminism: true,
		Progress: func(o *Outcome, s *Summary) {
			reported = append(reported, o.Seed)
			if s.Seeds == 5 {
				stop()
			}
		}})
	require.NoError(t, err)
	require.True(t, sum.Interrupted)
	require.False(t, sum.CheckedDeterminism, "a stopped sweep claims nothing about determinism")
	require.Empty(t, sum.Nondeterministic)
	require.Less(t, sum.Seeds, 100)
	require.Len(t, reported, sum.Seeds)
	for i, s := range reported {
		require.Equal(t, uint64(i+1), s, "seeds are reported in order, none skipped")
	}
}

// Each hands results over in job order whatever the workers, and stops at
// the first error.
func TestEachIsInJobOrder(t *testing.T) {
	const jobs = 200
	for _, w := range []int{1, 2, 7} {
		var got []int
		n, err := Each(context.Background(), w, jobs, func(j int) (int, error) { return j * j, nil },
			func(i int, r int) { got = append(got, r) })
		require.NoError(t, err)
		require.Equal(t, jobs, n)
		for i, r := range got {
			require.Equal(t, i*i, r)
		}
	}
	n, err := Each(context.Background(), 3, jobs, func(j int) (int, error) {
		if j == 50 {
			return 0, context.Canceled
		}
		return j, nil
	}, func(int, int) {})
	require.ErrorIs(t, err, context.Canceled)
	require.LessOrEqual(t, n, 50)
}

// The summary does not depend on the number of workers.
func TestSummaryIndependentOfWorkers(t *testing.T) {
	run := func(w int) *Summary {
		s, err := Run(context.Background(), Config{Protocol: "paxos", Start: 1, Seeds: Range{Start: 1, Count: 8}, Workers: w, Scenario: paxos})
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
	c := Config{Protocol: "paxos", Start: 1, Seeds: Range{Start: 1, Count: 4}, Workers: 2, Scenario: paxos, CheckDeterminism: true}
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
