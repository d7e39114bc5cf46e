package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// casim mutate without a source tree, or with bad flags, is one line and
// exit 2 before anything is built.
func TestMutateRefusesWithoutSource(t *testing.T) {
	for _, args := range [][]string{
		{"mutate", "--protocol", "paxos", "--src", t.TempDir()},
		{"mutate", "--protocol", "nope"},
		{"mutate", "--seeds", "0"},
	} {
		st, out, errOut := casim(args...)
		require.Equal(t, exitUsage, st, "%v", args)
		require.Empty(t, out)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
		require.Contains(t, errOut, "casim mutate: ")
	}
}
