package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// casim runs the CLI in-process and returns its exit status and output.
func casim(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	st := dispatch(args, &out, &errOut)
	return st, out.String(), errOut.String()
}

func TestRunJSONHasTheDocumentedFields(t *testing.T) {
	st, out, _ := casim("run", "--protocol", "paxos", "--seed", "3", "--json")
	require.Equal(t, exitOK, st)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	for _, f := range []string{"seed", "protocol", "verdict", "ops", "messages", "events", "sim_ns", "wall_ns", "trace_hash"} {
		require.Contains(t, m, f)
	}
	require.Equal(t, "ok", m["verdict"])
}

func TestRunPrintsConfigurationThenSummary(t *testing.T) {
	st, out, _ := casim("run", "--seed", "3")
	require.Equal(t, exitOK, st)
	cfg := strings.Index(out, "replicas")
	verdict := strings.Index(out, "verdict  ok")
	require.True(t, cfg >= 0 && verdict > cfg, out)
	for _, want := range []string{"ops ", "messages", "events", "simulated", "events/s", "trace "} {
		require.Contains(t, out, want)
	}
}

func TestUsageErrorsExitTwoWithOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--bogus"},
		{"run", "--seed", "x"},
		{"run", "--protocol", "nope"},
		{"sweep", "--seeds", "0"},
		{"sweep", "stray"},
		{"frobnicate"},
	} {
		st, out, errOut := casim(args...)
		require.Equal(t, exitUsage, st, "%v", args)
		require.Empty(t, out, "%v", args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", args, errOut)
	}
}

// A failing seed found by a sweep replays, with the printed command, to
// the same verdict and trace hash.
func TestSweepFailureReplays(t *testing.T) {
	st, out, _ := casim("sweep", "--protocol", "paxos/accept-any-ballot", "--seeds", "10", "--json")
	require.Equal(t, exitViolation, st)
	lines := bufio.NewScanner(strings.NewReader(out))
	var seen []map[string]any
	for lines.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(lines.Bytes(), &m))
		seen = append(seen, m)
	}
	require.Len(t, seen, 11, "ten seeds and a summary")
	sum := seen[10]
	require.Equal(t, true, sum["summary"])
	failing := sum["failing"].([]any)
	require.NotEmpty(t, failing)
	seed := uint64(failing[0].(float64))
	first := seen[seed-1]
	require.Equal(t, "illegal", first["verdict"])

	_, text, _ := casim("sweep", "--protocol", "paxos/accept-any-ballot", "--seeds", "10")
	cmd := "casim run --protocol paxos/accept-any-ballot --seed " + strconv.FormatUint(seed, 10)
	require.Contains(t, text, cmd)

	args := append(strings.Fields(cmd)[1:], "--json")
	st, replay, _ := casim(args...)
	require.Equal(t, exitViolation, st)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(replay), &m))
	require.Equal(t, first["trace_hash"], m["trace_hash"])
	require.Equal(t, "illegal", m["verdict"])
}

// Sweep output is in seed order whatever the number of workers.
func TestSweepOrderIndependentOfWorkers(t *testing.T) {
	_, one, _ := casim("sweep", "--seeds", "6", "--workers", "1", "--json")
	_, two, _ := casim("sweep", "--seeds", "6", "--workers", "2", "--json")
	strip := func(s string) []string {
		var hashes []string
		for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &m))
			if m["summary"] == nil {
				hashes = append(hashes, m["trace_hash"].(string))
			}
		}
		return hashes
	}
	require.Equal(t, strip(one), strip(two))
}

func TestProtocolsListsTheRegistry(t *testing.T) {
	st, out, _ := casim("protocols")
	require.Equal(t, exitOK, st)
	require.Contains(t, out, "paxos/accept-any-ballot")
	require.Contains(t, out, "linearizable")
	require.Contains(t, out, "caught")
}
