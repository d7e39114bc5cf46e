package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// lww assumes synchronized clocks: with skew it is caught, without it is
// clean (the registry test covers the clean side over 100 seeds).
func TestLWWCaughtUnderClockSkew(t *testing.T) {
	for seed := uint64(1); seed <= 100; seed++ {
		c := sim.DefaultConfig("lww", seed)
		require.NoError(t, c.ApplyFaults("skew=5ms"))
		res, err := sim.Run(c, sim.Options{})
		require.NoError(t, err)
		r, err := checker.CheckWith(context.Background(), res.History, checker.Options{NoWitness: true})
		require.NoError(t, err)
		if r.Verdict == checker.Illegal {
			return
		}
	}
	t.Fatal("lww was not caught with 5ms of clock skew in seeds 1..100")
}

// A swarm run of a correct protocol is as clean as a default one, and the
// swarm really varies the configuration from seed to seed.
func TestSwarmDrawsDifferentConfigurations(t *testing.T) {
	seen := map[sim.Network]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		c := sim.DefaultConfig("paxos", seed)
		c.Swarm(true)
		require.NoError(t, c.Validate())
		seen[c.Network] = true
	}
	require.Greater(t, len(seen), 15)
}
