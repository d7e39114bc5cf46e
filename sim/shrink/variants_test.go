package shrink

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// For every variant in the registry, shrinking its first failing seed
// gives a scenario that replays to the same violation.
func TestEveryVariantShrinksToAReplayingScenario(t *testing.T) {
	for _, p := range protocol.All() {
		if p.Linearizable || strings.HasPrefix(p.Name, "test/") || p.SweepMiss != "" {
			continue
		}
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			sc := firstFailingOwn(t, p)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			res, err := Shrink(ctx, sc, Options{CheckBudget: 5 * time.Second})
			require.NoError(t, err)
			require.Equal(t, checker.Illegal, res.Verdict)
			require.LessOrEqual(t, res.After.Ops, res.Before.Ops)
			v, _, err := Verdict(context.Background(), res.Minimal, 0)
			require.NoError(t, err)
			require.Equal(t, checker.Illegal, v, "the minimal scenario of %s seed %d must fail", p.Name, sc.Seed)
			t.Logf("%s seed %d: %d ops %d faults → %d ops %d faults (%d runs)", p.Name, sc.Seed,
				res.Before.Ops, res.Before.Faults, res.After.Ops, res.After.Faults, res.Runs)
		})
	}
}

// firstFailingOwn is the first failing seed of a variant's own default
// scenario, within the seeds the registry promises to catch it in.
func firstFailingOwn(t *testing.T, p protocol.Protocol) sim.Scenario {
	t.Helper()
	limit := uint64(protocol.CatchSeeds)
	for seed := uint64(1); seed <= limit; seed++ {
		cfg, err := sim.ProtocolDefault(p.Name, seed)
		require.NoError(t, err)
		sc := sim.NewScenario(cfg)
		res, err := sim.RunScenario(sc, sim.Options{})
		require.NoError(t, err)
		chk, err := checker.CheckWith(context.Background(), res.History, checker.Options{NoWitness: true})
		require.NoError(t, err)
		if chk.Verdict == checker.Illegal {
			return sc
		}
	}
	t.Fatalf("%s does not fail in seeds 1..%d", p.Name, limit)
	return sim.Scenario{}
}
