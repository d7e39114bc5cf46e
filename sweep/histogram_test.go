package sweep

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHistogramQuantilesWithinBucketPrecision(t *testing.T) {
	var h Histogram
	for v := int64(1); v <= 100_000; v++ {
		h.Add(v * 1000)
	}
	for _, q := range []float64{0.5, 0.99, 0.999} {
		exact := float64(q*99_999+1) * 1000
		got := float64(h.Quantile(q))
		require.InDelta(t, exact, got, exact*0.07, "q=%g", q)
	}
	var empty Histogram
	require.Equal(t, int64(-1), empty.Quantile(0.5))
}

func TestHistogramBucketsAreMonotone(t *testing.T) {
	prev := -1
	for v := int64(0); v < 1<<20; v += 7 {
		b := bucketOf(v)
		require.GreaterOrEqual(t, b, prev)
		require.LessOrEqual(t, lowOf(b), v)
		prev = b
	}
}
