package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/compare"
)

func TestCompareTable(t *testing.T) {
	st, out, errOut := casim("compare", "--protocols", "paxos,lww", "--seeds", "3", "--faults", "none")
	require.Equal(t, exitOK, st, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2+3+2, out) // scenario, header, paxos ×3, lww ×2
	require.Contains(t, lines[0], "scenario faults: 3 seeds from 1, --faults none")
	for _, col := range []string{"protocol", "op", "p50", "p99", "p99.9", "msgs/op", "rt", "ok", "failed", "indet", "violations"} {
		require.Contains(t, lines[1], col)
	}
	require.Regexp(t, `^paxos +read .* 4 +100\.0% +0\.0% +0\.0% .* 0/3$`, lines[2])
	require.Regexp(t, `^lww +write .* 1 +100\.0%`, lines[6])
}

func TestCompareJSON(t *testing.T) {
	st, out, errOut := casim("compare", "--protocols", "caspaxos,caspaxos:one-round-trip=on,abd", "--seeds", "2",
		"--scenario-set", "none,lossy", "--json")
	require.Equal(t, exitOK, st, errOut)
	var doc struct {
		Seeds     int
		Scenarios []compare.Scenario
		Rows      []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Equal(t, 2, doc.Seeds)
	require.Len(t, doc.Scenarios, 2)
	require.Len(t, doc.Rows, 2*(3+3+2))
	for _, r := range doc.Rows {
		for _, f := range []string{"scenario", "protocol", "op", "ops", "p50_ns", "p99_ns", "p999_ns", "messages_per_op",
			"round_trips", "ok_share", "failed_share", "indeterminate_share", "seeds", "violations", "violating_seeds"} {
			require.Contains(t, r, f)
		}
	}
	require.Equal(t, "caspaxos:one-round-trip=on", doc.Rows[3]["protocol"])
	require.Equal(t, "lossy", doc.Rows[8]["scenario"])
}

func TestCompareCSV(t *testing.T) {
	st, out, errOut := casim("compare", "--protocols", "lww", "--hedge", "off,10ms", "--skews", "0,5ms", "--seeds", "2", "--csv")
	require.Equal(t, exitOK, st, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, compare.CSVHeader, recs[0])
	require.Len(t, recs, 1+4*2) // 4 contenders × read, write
	require.Equal(t, []string{"default", "lww hedge=off skew=0", "read"}, recs[1][:3])
	require.Equal(t, "lww hedge=10ms skew=5ms", recs[7][1])
}

// Workers finish runs in any order; the figures must not depend on it.
func TestCompareIndependentOfWorkers(t *testing.T) {
	args := []string{"compare", "--protocols", "paxos,abd", "--seeds", "6", "--json"}
	_, one, _ := casim(append(args, "--workers", "1")...)
	_, three, _ := casim(append(args, "--workers", "3")...)
	require.Equal(t, one, three)
}

func TestCompareUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"compare", "--protocols", "nope"},
		{"compare", "--protocols", "abd", "--opt", "one-round-trip=on"},
		{"compare", "--protocols", "caspaxos:one-round-trip=maybe"},
		{"compare", "--hedge", "sometimes"},
		{"compare", "--skews", "-1ms"},
		{"compare", "--scenario-set", "gentle"},
		{"compare", "--faults", "drop=2"},
		{"compare", "--json", "--csv"},
	} {
		st, out, errOut := casim(args...)
		require.Equal(t, exitUsage, st, "%v", args)
		require.Empty(t, out, "%v", args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", args, errOut)
	}
}
