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
		{[]string{"run", "--faults", "latency-min=10ms,latency-max=1ms"}, "exponential latency needs max >= min, got min 10ms, max 1ms"},
		{[]string{"run", "--protocol", "lww", "--faults", "mix=0/0/100"}, "lww does not support"},
		{[]string{"run", "--protocol", "abd", "--faults", "mix=0/0/1"}, "abd does not support"},
		{[]string{"run", "--faults", "latency-mean=1000h"}, "make a round trip longer than 1m0s"},
		{[]string{"run", "--faults", "crashes=1000000000"}, "crashes must be at most 10000, got 1000000000"},
		{[]string{"sweep", "--faults", "partitions=1000000000"}, "partitions must be at most 10000"},
		{[]string{"run", "--faults", "pauses=1000000000"}, "pauses must be at most 10000"},
		{[]string{"run", "--faults", "slow=1000000000"}, "slow nodes must be at most 10000"},
		{[]string{"run", "--faults", "clock-steps=1000000000"}, "clock steps must be at most 10000"},
		{[]string{"run", "--topology", "geo4", "--faults", "region-outages=1000000000"}, "region outages must be at most 10000"},
		{[]string{"run", "--topology", "geo4", "--faults", "region-partitions=1000000000"}, "region partitions must be at most 10000"},
		{[]string{"run", "--faults", "latency-min=200ms,latency-max=10ms,latency=uniform"}, "uniform latency needs max >= min, got min 200ms, max 10ms"},
	} {
		st, out, errOut := casim(tc.args...)
		require.Equal(t, exitUsage, st, "%v: %s", tc.args, errOut)
		require.Empty(t, out, "%v", tc.args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", tc.args, errOut)
		require.Contains(t, errOut, tc.want, "%v", tc.args)
	}
}

// A truncated or non-object topology file is named as a file, not as a
// scenario (the two share their JSON error messages).
func TestBadTopologyFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	for body, want := range map[string]string{
		"{\n":   "line 2: the file ends early",
		"[1]\n": "line 1: the file must hold a JSON object, not array",
	} {
		f := filepath.Join(dir, "t.json")
		require.NoError(t, os.WriteFile(f, []byte(body), 0o644))
		st, _, errOut := casim("run", "--topology", f)
		require.Equal(t, exitUsage, st)
		require.Contains(t, errOut, want)
		require.NotContains(t, errOut, "scenario")
	}
}
