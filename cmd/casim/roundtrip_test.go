package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// casim run --history writes a history that casim check judges the same
// way, for a clean and for a failing run.
func TestRunHistoryThenCheckAgree(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		protocol string
		status   int
	}{{"paxos", exitOK}, {"paxos/accept-any-ballot", exitViolation}} {
		seed := firstWithStatus(t, tc.protocol, tc.status)
		h := filepath.Join(dir, "h.jsonl")
		st, _, _ := casim("run", "--protocol", tc.protocol, "--seed", seed, "--history", h)
		require.Equal(t, tc.status, st)
		st, out, errOut := casim("check", h)
		require.Equal(t, tc.status, st, "%s seed %s: %s%s", tc.protocol, seed, out, errOut)
	}
}

// A scenario written by --scenario-out replays to the same trace hash.
func TestScenarioFileRoundTrips(t *testing.T) {
	f := filepath.Join(t.TempDir(), "s.json")
	for _, flags := range [][]string{
		{"--seed", "4"},
		{"--seed", "5", "--swarm"},
		{"--seed", "6", "--faults", "none,partitions=2,skew=2ms,clock-steps=2,clock-step=5ms"},
	} {
		args := append([]string{"run", "--json", "--scenario-out", f}, flags...)
		_, first, _ := casim(args...)
		_, again, _ := casim("run", "--json", "--scenario", f)
		var a, b map[string]any
		require.NoError(t, json.Unmarshal([]byte(first), &a))
		require.NoError(t, json.Unmarshal([]byte(again), &b))
		for _, m := range []map[string]any{a, b} {
			delete(m, "wall_ns")
			delete(m, "check_ns")
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%v: the replayed run differs (-run +replay):\n%s", flags, diff)
		}
		// The file read back is the scenario written, field for field.
		sc, err := readScenario(f)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, sc.WriteJSON(&buf))
		written, err := os.ReadFile(f)
		require.NoError(t, err)
		if diff := cmp.Diff(string(written), buf.String()); diff != "" {
			t.Errorf("%v: the scenario does not round-trip (-file +read and written again):\n%s", flags, diff)
		}
	}
	// A hand-edited scenario with a mistake is refused with its line.
	require.NoError(t, os.WriteFile(f, []byte("{\n \"casim_scenario\": 1,\n \"replicas\": \"three\"\n}\n"), 0o644))
	st, _, errOut := casim("run", "--scenario", f)
	require.Equal(t, exitUsage, st)
	require.Contains(t, errOut, "line 3")
}

// firstWithStatus finds a seed of protocol whose run ends with status.
func firstWithStatus(t *testing.T, protocol string, status int) string {
	t.Helper()
	for seed := 1; seed <= 50; seed++ {
		s := itoa(seed)
		if st, _, _ := casim("run", "--protocol", protocol, "--seed", s, "--json"); st == status {
			return s
		}
	}
	t.Fatalf("%s: no seed in 1..50 exits %d", protocol, status)
	return ""
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
