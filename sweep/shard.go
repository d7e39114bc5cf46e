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

// Seeds are the seeds a sweep runs, by position, so that a range of a
// billion seeds costs no memory.
type Seeds interface {
	Len() int
	At(i int) uint64
}

// List is a sweep's seeds listed one by one.
type List []uint64

func (l List) Len() int        { return len(l) }
func (l List) At(i int) uint64 { return l[i] }

// Range is shard Shard of Shards of the seeds Start .. Start+Count-1:
// every Shards-th seed, from offset Shard (Shards 0 or 1: all of them).
// The shards are disjoint and together cover the range, and each spreads
// over the whole range, so that shards take about the same time.
type Range struct {
	Start         uint64
	Count         int
	Shard, Shards int
}

func (r Range) step() int { return max(r.Shards, 1) }

// Len is the number of seeds in the shard.
func (r Range) Len() int {
	if r.Shard >= r.Count {
		return 0
	}
	return (r.Count-r.Shard-1)/r.step() + 1
}

// At is the shard's i-th seed.
func (r Range) At(i int) uint64 { return r.Start + uint64(r.Shard) + uint64(i)*uint64(r.step()) }
