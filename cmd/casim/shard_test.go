package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sweep"
)

// Four shards, summarized, give exactly the seeds and failures of one
// unsharded sweep.
func TestShardedSweepsSummarizeToTheUnshardedSweep(t *testing.T) {
	const proto = "paxos/accept-any-ballot"
	dir := t.TempDir()
	var files []string
	for i := range 4 {
		st, out, _ := casim("sweep", "--protocol", proto, "--seeds", "60", "--shard", fmt.Sprintf("%d/4", i), "--json")
		require.Equal(t, exitViolation, st)
		f := filepath.Join(dir, fmt.Sprintf("shard%d.jsonl", i))
		require.NoError(t, os.WriteFile(f, []byte(out), 0o644))
		files = append(files, f)
	}
	st, merged, _ := casim(append([]string{"summarize", "--json"}, files...)...)
	require.Equal(t, exitViolation, st)
	var sum sweep.Totals
	require.NoError(t, json.Unmarshal([]byte(merged), &sum))

	_, whole, _ := casim("sweep", "--protocol", proto, "--seeds", "60", "--json")
	lines := strings.Split(strings.TrimSpace(whole), "\n")
	var ref sweep.Summary
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &ref))

	require.Equal(t, 60, sum.Seeds)
	require.Zero(t, sum.Missing)
	require.Equal(t, ref.Failing, sum.Failing)
	require.Equal(t, ref.Ops, sum.Ops)
	require.Equal(t, ref.Events, sum.Events)

	// A missing shard shows.
	_, partial, _ := casim("summarize", files[0], files[2])
	require.Contains(t, partial, "missing")
}

func TestSummarizeRejectsOtherInput(t *testing.T) {
	f := filepath.Join(t.TempDir(), "x.jsonl")
	require.NoError(t, os.WriteFile(f, []byte("{\"seed\":1}\nnot json\n"), 0o644))
	st, _, errOut := casim("summarize", f)
	require.Equal(t, exitUsage, st)
	require.Contains(t, errOut, "line 1")
}

// Summarizing nothing is refused: an empty input (a shard that never ran,
// a broken pipeline) must not read as "no violation found".
func TestSummarizeRefusesAnEmptyInput(t *testing.T) {
	f := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, out, errOut := casim("summarize", f)
	if st != exitUsage || out != "" || !strings.Contains(errOut, "no seed lines in the input") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q", st, out, errOut)
	}
}
