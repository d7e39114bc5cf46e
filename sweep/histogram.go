package sweep

import "math/bits"

// Histogram counts durations in log-linear buckets (16 per power of two,
// so quantiles are within about 6%), in constant memory however many
// samples a sweep adds. The zero value is empty and ready.
type Histogram struct {
	counts [64 * 16]uint64
	n      uint64
}

func bucketOf(v int64) int {
	if v < 16 {
		return int(max(v, 0))
	}
	exp := 63 - bits.LeadingZeros64(uint64(v)) // v in [2^exp, 2^(exp+1))
	minor := int(uint64(v)>>(exp-4)) & 15
	return (exp-3)*16 + minor
}

// lowOf is the smallest value in bucket b.
func lowOf(b int) int64 {
	if b < 16 {
		return int64(b)
	}
	exp := b/16 + 3
	return int64(16+b%16) << (exp - 4)
}

// Add counts one sample.
func (h *Histogram) Add(v int64) {
	h.counts[bucketOf(v)]++
	h.n++
}

// Merge adds o's samples to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// N is the number of samples.
func (h *Histogram) N() uint64 { return h.n }

// Quantile returns the value below which a share q of samples fall (the
// low edge of its bucket), or -1 with no samples.
func (h *Histogram) Quantile(q float64) int64 {
	if h.n == 0 {
		return -1
	}
	rank := uint64(q * float64(h.n-1))
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen > rank {
			return lowOf(b)
		}
	}
	return lowOf(len(h.counts) - 1)
}

// Buckets calls f for every bucket that has samples, in increasing order:
// its values are in [low, high), count of them. Charts draw from it.
func (h *Histogram) Buckets(f func(low, high int64, count uint64)) {
	for b, c := range h.counts {
		if c > 0 {
			f(lowOf(b), lowOf(b+1), c)
		}
	}
}
