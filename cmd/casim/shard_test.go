package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestShardSeedsPartitionTheRange(t *testing.T) {
	seen := map[uint64]int{}
	for i := range 4 {
		for _, s := range shardSeeds(7, 30, i, 4) {
			seen[s]++
		}
	}
	require.Len(t, seen, 30)
	for s, n := range seen {
		require.Equal(t, 1, n, "seed %d", s)
		require.True(t, s >= 7 && s < 37)
	}
	for _, bad := range []string{"4/4", "-1/2", "1", "a/b", "0/0"} {
		_, _, err := parseShard(bad)
		require.Error(t, err, bad)
	}
}

// Four shards, summarized, give exactly the seeds and failures of one
// unsharded sweep.
func TestShardedSweepsSummarizeToTheUnshardedSweep(t *testing.T) {
	const proto = "paxos/accept-any-ballot"
	dir := t.TempDir()
	var files []string
	for i := range 4 {
		st, out, _ := casim("sweep", "--protocol", proto, "--seeds", "24", "--shard", fmt.Sprintf("%d/4", i), "--json")
		require.Equal(t, exitViolation, st)
		f := filepath.Join(dir, fmt.Sprintf("shard%d.jsonl", i))
		require.NoError(t, os.WriteFile(f, []byte(out), 0o644))
		files = append(files, f)
	}
	st, merged, _ := casim(append([]string{"summarize", "--json"}, files...)...)
	require.Equal(t, exitViolation, st)
	var sum sweepTotals
	require.NoError(t, json.Unmarshal([]byte(merged), &sum))

	_, whole, _ := casim("sweep", "--protocol", proto, "--seeds", "24", "--json")
	lines := strings.Split(strings.TrimSpace(whole), "\n")
	var ref summary
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &ref))

	require.Equal(t, 24, sum.Seeds)
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

// A stopped sweep (Ctrl-C) starts no more seeds but reports every seed it
// ran, in order, marked interrupted.
func TestStoppedSweepReportsWhatRan(t *testing.T) {
	stop := make(chan struct{})
	sw := sweeper{protocol: "paxos", first: 1, seeds: shardSeeds(1, 100000, 0, 1), workers: 2, stop: stop}
	sw.flags.protocol = "paxos"
	sw.n = len(sw.seeds)
	var reported []uint64
	sum, err := sw.run(func(o *outcome, done int, s *summary) {
		reported = append(reported, o.Seed)
		if done == 5 {
			close(stop)
		}
	})
	require.NoError(t, err)
	require.True(t, sum.Interrupted)
	require.Less(t, sum.Seeds, 100)
	require.Len(t, reported, sum.Seeds)
	for i, s := range reported {
		require.Equal(t, uint64(i+1), s, "seeds are reported in order, none skipped")
	}
}
