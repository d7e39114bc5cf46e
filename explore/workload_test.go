package explore

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
)

// Workloads with given values read back as written, and bad values are
// refused with the operation named.
func TestParseWorkloadValues(t *testing.T) {
	w, err := ParseWorkload("write=1,read;cas=1>2@1/n2")
	require.NoError(t, err)
	require.Equal(t, OpSpec{Kind: model.Write, Given: true, Value: 1}, w[0][0])
	require.Equal(t, OpSpec{Kind: model.Cas, Key: 1, Coord: 3, Given: true, Expected: 1, Value: 2}, w[1][0])
	require.Equal(t, "write=1,read;cas=1>2@1/n2", FormatWorkload(w))
	for in, want := range map[string]string{
		"read=1":    "a read takes no value",
		"cas=2":     "a cas takes E>V",
		"write=0":   `"0" is not a value >= 1`,
		"cas=1>x":   `"x" is not a value >= 1`,
		"write=1>2": `"1>2" is not a value >= 1`,
	} {
		_, err := ParseWorkload(in)
		require.ErrorContains(t, err, want, in)
	}
}
