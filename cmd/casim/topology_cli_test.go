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
	} {
		st, out, errOut := casim(args...)
		require.Equal(t, exitUsage, st, "%v", args)
		require.Empty(t, out, "%v", args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", args, errOut)
	}
	_, _, errOut := casim("run", "--topology", bad)
	require.Contains(t, errOut, "region a has replication factor 2 but 1 zones")
	st, out, _ := casim("run", "--topology", "az3", "--seed", "3")
	require.Equal(t, exitOK, st)
	require.Contains(t, out, "topology az3: us-east-1 3/3 zones")
}
