package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

func TestCheckDeterminismPassesOnADeterministicBuild(t *testing.T) {
	st, out, errOut := casim("run", "--seed", "3", "--check-determinism")
	require.Equal(t, exitOK, st, errOut)
	require.Contains(t, out, "determinism: the same trace hash under GOMAXPROCS")

	st, out, errOut = casim("sweep", "--seeds", "4", "--workers", "2", "--check-determinism", "--json")
	require.Equal(t, exitOK, st, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &sum))
	require.Equal(t, true, sum["checked_determinism"])
	require.NotContains(t, sum, "nondeterministic")
}

// inject makes the determinism re-run of the given seeds differ from the
// first run, as a map-order or goroutine bug would.
func inject(t *testing.T, seeds ...uint64) {
	perturbForTest = func(sc sim.Scenario) sim.Scenario {
		for _, s := range seeds {
			if sc.Seed == s {
				sc.Network.DropRatio += 0.2
			}
		}
		return sc
	}
	t.Cleanup(func() { perturbForTest = nil })
}

func TestCheckDeterminismCatchesADifferentRun(t *testing.T) {
	_, first, _ := casim("run", "--seed", "3", "--json")
	var o map[string]any
	require.NoError(t, json.Unmarshal([]byte(first), &o))
	hash := o["trace_hash"].(string)

	inject(t, 3)
	st, _, errOut := casim("run", "--seed", "3", "--check-determinism")
	require.Equal(t, exitNondeterministic, st)
	require.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	require.Contains(t, errOut, "NONDETERMINISTIC: seed 3 gave trace hash "+hash+" under GOMAXPROCS")
	require.Contains(t, errOut, "reproduce with: casim run --protocol paxos --seed 3 --check-determinism")
}

func TestSweepCheckDeterminismNamesTheSeed(t *testing.T) {
	inject(t, 2)
	st, out, errOut := casim("sweep", "--seeds", "3", "--workers", "2", "--check-determinism", "--json")
	require.Equal(t, exitNondeterministic, st)
	require.Contains(t, errOut, "NONDETERMINISTIC: seed 2 ")
	require.NotContains(t, errOut, "seed 1 ")
	require.NotContains(t, errOut, "seed 3 ")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum struct {
		Nondeterministic []sweep.Mismatch `json:"nondeterministic"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &sum))
	require.Len(t, sum.Nondeterministic, 1)
	m := sum.Nondeterministic[0]
	require.Equal(t, uint64(2), m.Seed)
	require.NotEqual(t, m.Hash, m.SecondHash)
	require.NotEqual(t, m.Procs, m.SecondProcs)

	// Without --check-determinism the same sweep passes: the flag is what
	// finds it.
	st, _, _ = casim("sweep", "--seeds", "3", "--check-determinism=false")
	require.Equal(t, exitOK, st)
}
