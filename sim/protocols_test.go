package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// verdict runs one seed of the default scenario and checks it.
func verdict(t *testing.T, proto string, seed uint64) (checker.Verdict, *sim.Result) {
	t.Helper()
	cfg, err := sim.ProtocolDefault(proto, seed)
	require.NoError(t, err)
	res, err := sim.Run(cfg, sim.Options{})
	require.NoError(t, err)
	r, err := checker.CheckWith(context.Background(), res.History, checker.Options{NoWitness: true})
	require.NoError(t, err)
	return r.Verdict, res
}

// knownStarvation are seeds of the default sweep where a correct protocol
// starves one operation past its deadline after the faults healed (issue
// 11: a coordinator whose operation was refused backs off for longer and
// longer while fresh operations elsewhere, refused once, retry at once
// and win). Safety is checked on them as on every seed; their liveness
// failure must stay exactly what is listed, so a fix shows (the entry
// must then go) and a new starvation fails.
var knownStarvation = map[string]map[uint64]bool{
	// none in seeds 1..100 today; CI lists those of its 500 (.ci/run)
}

// fixedStarvation are seeds beyond the test's range where a correct
// protocol once starved an operation after the heal, each fixed in the
// protocol (its doc comment has the mechanism): they stay linearizable
// and live.
var fixedStarvation = map[string][]uint64{
	"abd": {3296}, // a release that overtook its own query (package abd)
}

func TestFixedStarvation(t *testing.T) {
	for name, seeds := range fixedStarvation {
		for _, seed := range seeds {
			v, res := verdict(t, name, seed)
			require.Equal(t, checker.Linearizable, v, "%s seed %d", name, seed)
			require.Empty(t, res.Stuck+res.Unavailable, "%s seed %d", name, seed)
		}
	}
}

// Every protocol expected to be linearizable passes a fixed seed range,
// and every variant is caught within a fixed small one.
func TestRegistryExpectations(t *testing.T) {
	for _, p := range protocol.All() {
		if strings.HasPrefix(p.Name, "test/") || p.SweepMiss != "" {
			continue // registered by a test, for that test; or not found yet
		}
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			if p.Linearizable {
				seeds := uint64(100)
				if testing.Short() {
					seeds = 20
				}
				for seed := uint64(1); seed <= seeds; seed++ {
					v, res := verdict(t, p.Name, seed)
					starved := res.Stuck != "" || res.Unavailable != ""
					require.Equal(t, knownStarvation[p.Name][seed], starved,
						"%s seed %d: stuck %q, unavailable %q (known starvation: %v)", p.Name, seed, res.Stuck, res.Unavailable,
						knownStarvation[p.Name][seed])
					require.Equal(t, checker.Linearizable, v, "seed %d; replay: casim run --protocol %s --seed %d", seed, p.Name, seed)
				}
				return
			}
			// The default sweep must catch it in at least 5 of 1000 seeds
			// (CI measures that); here, its first failure within them.
			catch := uint64(protocol.CatchSeeds)
			for seed := uint64(1); seed <= catch; seed++ {
				if v, _ := verdict(t, p.Name, seed); v == checker.Illegal {
					return
				}
			}
			t.Fatalf("%s was not caught in seeds 1..%d", p.Name, catch)
		})
	}
}

// The default scenario exercises what it claims to: faults happen, some
// cas operations fail their compare, and every run ends with its clients
// done rather than at a limit.
func TestDefaultScenarioHasTeeth(t *testing.T) {
	var crashes, partitions, compareFailed, dropped, duplicated int
	for seed := uint64(1); seed <= 20; seed++ {
		_, res := verdict(t, "paxos", seed)
		for _, f := range res.Schedule {
			if f.Kind == sim.Crash {
				crashes++
			} else {
				partitions++
			}
		}
		compareFailed += res.Stats.Fail
		dropped += int(res.Stats.Dropped)
		duplicated += int(res.Stats.Duplicated)
		require.Equal(t, res.Config.Clients*res.Config.OpsPerClient, res.Stats.Ops())
	}
	require.Positive(t, crashes)
	require.Positive(t, partitions)
	require.Positive(t, compareFailed)
	require.Positive(t, dropped)
	require.Positive(t, duplicated)
}
