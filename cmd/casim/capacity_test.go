package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCapacityBadInputExitsTwoWithOneLine(t *testing.T) {
	for _, spec := range []string{"service=0", "service=-2ms", "workers=0", "load=lots", "shed=sometimes"} {
		for _, cmd := range []string{"run", "sweep"} {
			st, out, errOut := casim(cmd, "--seeds", "1", "--faults", spec)
			if cmd == "run" {
				st, out, errOut = casim(cmd, "--faults", spec)
			}
			require.Equal(t, exitUsage, st, "%s %s", cmd, spec)
			require.Empty(t, out, spec)
			require.Equal(t, 1, strings.Count(errOut, "\n"), "%s: %q", spec, errOut)
		}
	}
}

func TestSweepJSONCarriesCapacityFigures(t *testing.T) {
	st, out, _ := casim("sweep", "--seeds", "2", "--json", "--faults", "none,keys=100,ops=20,service=200us,load=300,shed=on")
	require.Equal(t, exitOK, st, out)
	line := strings.SplitN(out, "\n", 2)[0]
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &m))
	for _, f := range []string{"availability", "goodput", "shed", "amplification"} {
		require.Contains(t, m, f)
	}
	require.Greater(t, m["amplification"].(float64), 1.0)
}

func TestCompareLoadsPrintsTheLoadTable(t *testing.T) {
	st, out, _ := casim("compare", "--protocols", "paxos", "--loads", "10,100", "--seeds", "1",
		"--faults", "none,service=200us,keys=100,ops=20,shed=on")
	require.Equal(t, exitOK, st, out)
	require.Contains(t, out, "under load, scenario")
	require.Contains(t, out, "paxos load=100")
	require.Contains(t, out, "nines")
	st, out, errOut := casim("compare", "--protocols", "paxos", "--loads", "lots")
	require.Equal(t, exitUsage, st)
	require.Empty(t, out)
	require.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
}

func TestRunPrintsLoadLineOnlyWithCapacity(t *testing.T) {
	st, out, _ := casim("run", "--faults", "none,service=200us,load=100,shed=on,keys=100")
	require.Equal(t, exitOK, st, out)
	require.Contains(t, out, "\ncapacity service mean 200µs")
	require.Contains(t, out, "\nload     goodput")
	st, out, _ = casim("run", "--seed", "3")
	require.Equal(t, exitOK, st)
	require.NotContains(t, out, "\nload ")
	require.NotContains(t, out, "\ncapacity ")
}
