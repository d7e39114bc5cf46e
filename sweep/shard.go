package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseShard reads "I/N" (0 <= I < N); "" is the whole range, 0/1.
func ParseShard(s string) (i, n int, err error) {
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

// Shard lists the seeds of shard i of n of the range start ..
// start+count-1: every n-th, from offset i. The shards are disjoint and
// together cover the range, and each spreads over the whole range, so
// that shards take about the same time.
func Shard(start uint64, count, i, n int) []uint64 {
	var seeds []uint64
	for off := i; off < count; off += n {
		seeds = append(seeds, start+uint64(off))
	}
	return seeds
}
