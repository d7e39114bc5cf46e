package main

import "math/bits"

// histogram counts durations in log-linear buckets (16 per power of two,
// so quantiles are within about 6%), in constant memory however many
// samples a sweep adds.
type histogram struct {
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

func (h *histogram) add(v int64) {
	h.counts[bucketOf(v)]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the value below which a share q of samples fall (the
// low edge of its bucket), or -1 with no samples.
func (h *histogram) quantile(q float64) int64 {
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
