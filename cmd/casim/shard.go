package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseShard reads "I/N" (0 <= I < N); "" is the whole range, 0/1.
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("--shard must be I/N with 0 <= I < N, got %q", s)
	}
	return i, n, nil
}

// shardSeeds lists the seeds of shard i of n of the range start ..
// start+count-1: every n-th, from offset i. The shards are disjoint and
// together cover the range, and each spreads over the whole range, so
// that shards take about the same time.
func shardSeeds(start uint64, count, i, n int) []uint64 {
	var seeds []uint64
	for off := i; off < count; off += n {
		seeds = append(seeds, start+uint64(off))
	}
	return seeds
}

// seedList renders up to 20 seeds, then how many more (--json has all).
func seedList(seeds []uint64) string {
	var b strings.Builder
	for i, s := range seeds {
		if i == 20 {
			fmt.Fprintf(&b, " … (%d more; --json lists them all)", len(seeds)-20)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, s)
	}
	return b.String()
}

// printReproduce lists up to ten seeds, each with the command that
// replays it, and the rest as numbers.
func printReproduce(w io.Writer, what string, seeds []uint64, replay func(uint64) string) {
	if len(seeds) == 0 {
		return
	}
	fmt.Fprintf(w, "%d %s; reproduce with:\n", len(seeds), what)
	for i, seed := range seeds {
		if i == 10 {
			fmt.Fprintf(w, "  ... and %d more: %s\n", len(seeds)-10, seedList(seeds[10:]))
			break
		}
		fmt.Fprintf(w, "  %s\n", replay(seed))
	}
}
