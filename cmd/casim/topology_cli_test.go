package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A bad topology is one line and exit 2 on every command that takes
// --topology, before anything runs; a good one runs.
func TestTopologyFlag(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"regions": [{"name": "a", "zones": ["a1"], "rf": 2}],
  "same_zone": {"dist": "constant", "min_ns": 1000}, "cross_zone": {"dist": "constant", "min_ns": 1000}}`), 0o644))
	for _, args := range [][]string{
		{"run", "--topology", bad},
		{"sweep", "--topology", bad, "--seeds", "2"},
		{"shrink", "--topology", bad, "--seed", "1"},
		{"compare", "--topology", bad, "--seeds", "1"},
		{"run", "--topology", "mars"},
		// The flat cluster's latency settings are refused under a
		// topology (they were silently ignored).
		{"run", "--topology", "geo4", "--faults", "latency-min=20ms"},
		{"sweep", "--topology", "az3", "--faults", "none,latency=constant", "--seeds", "2"},
		{"shrink", "--topology", "geo4", "--faults", "latency-max=1s", "--seed", "1"},
		{"compare", "--topology", "geo4", "--faults", "latency-mean=5ms", "--seeds", "1"},
		{"run", "--protocol", "paxos/local-serial", "--faults", "latency-min=20ms"}, // its default topology is geo4
	} {
		st, out, errOut := casim(args...)
		require.Equal(t, exitUsage, st, "%v", args)
		require.Empty(t, out, "%v", args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", args, errOut)
	}
	st, _, errOut := casim("run", "--topology", bad)
	require.Equal(t, exitUsage, st)
	require.Contains(t, errOut, "region a has replication factor 2 but 1 zones")
	_, _, errOut = casim("run", "--topology", "geo4", "--faults", "latency-min=20ms")
	require.Contains(t, errOut, "fault setting latency-min: a topology gives each link class")
	st, _, _ = casim("run", "--faults", "none,latency=constant,latency-min=20ms", "--seed", "3")
	require.Equal(t, exitOK, st, "the flat cluster still takes them")
	st, out, _ := casim("run", "--topology", "az3", "--seed", "3")
	require.Equal(t, exitOK, st)
	require.Contains(t, out, "topology az3: us-east-1 3/3 zones")
}
