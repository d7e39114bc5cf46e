package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCompactDetail(t *testing.T) {
	for in, want := range map[string]string{
		"{Key:k0 OK:false Ballot:3}":            "Key:k0 Ballot:3",
		"{A:{B:false C:1} D:false}":             "A:{C:1}",
		"{Key:k0 Falsehood:true Resolve:false}": "Key:k0 Falsehood:true",
		"plain":                                 "plain",
	} {
		require.Equal(t, want, compactDetail(in), in)
	}
	require.Equal(t, detailMaxRunes, len([]rune(compactDetail(strings.Repeat("é", 500)))))
}
