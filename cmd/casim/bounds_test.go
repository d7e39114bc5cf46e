package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Settings that would run for minutes, take gigabytes or silently do
// something else are refused before the run: exit 2, one line.
func TestImpossibleSettingsAreRefused(t *testing.T) {
	scenario := func(body string) string {
		f := filepath.Join(t.TempDir(), "s.json")
		require.NoError(t, os.WriteFile(f, []byte(body), 0o644))
		return f
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--faults", "ops=1000000000"}, "ops per client must be in 0..10000000, got 1000000000"},
		{[]string{"sweep", "--faults", "ops=1000000000"}, "ops per client must be in 0..10000000, got 1000000000"},
		{[]string{"run", "--scenario", scenario(`{"casim_scenario": 1, "protocol": "paxos", "ops_per_client": 1000000000}`)}, "ops per client must be in 0..10000000"},
		{[]string{"run", "--scenario", scenario(`{"casim_scenario": 1, "protocol": "paxos", "keys": 1000000000}`)}, "keys must be in 1..1000000, got 1000000000"},
		{[]string{"run", "--faults", "keys=1000000000"}, "keys must be in 1..1000000"},
		{[]string{"run", "--profile", "classic", "--faults", "latency-min=10ms,latency-max=1ms"}, "exponential latency needs max >= min, got min 10ms, max 1ms"},
		{[]string{"run", "--protocol", "lww", "--faults", "mix=0/0/100"}, "lww does not support"},
		{[]string{"run", "--protocol", "abd", "--faults", "mix=0/0/1"}, "abd does not support"},
	} {
		st, out, errOut := casim(tc.args...)
		require.Equal(t, exitUsage, st, "%v: %s", tc.args, errOut)
		require.Empty(t, out, "%v", tc.args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", tc.args, errOut)
		require.Contains(t, errOut, tc.want, "%v", tc.args)
	}
}
