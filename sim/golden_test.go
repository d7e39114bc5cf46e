package sim_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden traces in testdata/golden")

// Data-driven traces, in the manner of etcd raft's testdata: each scenario
// in testdata/golden/*.json runs, and its whole trace must match the
// .trace file beside it, event for event. A change to the simulator or a
// protocol that changes what happens shows here as a diff a person can
// read; when the change is meant, rewrite the files with
// `go test ./sim -run TestGoldenTraces -update` and review the diff.
func TestGoldenTraces(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.Open(f)
			require.NoError(t, err)
			defer in.Close()
			sc, err := sim.ReadScenario(in)
			require.NoError(t, err)
			var buf bytes.Buffer
			res, err := sim.RunScenario(sc, sim.Options{Trace: &buf})
			require.NoError(t, err)
			buf.WriteString(summaryLine(res))
			golden := strings.TrimSuffix(f, ".json") + ".trace"
			if *update {
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden trace: run with -update")
			require.Equal(t, string(want), buf.String())
		})
	}
}

func summaryLine(res *sim.Result) string {
	var b strings.Builder
	b.WriteString("-- ")
	for _, e := range res.History {
		if e.Type.String() != "invoke" {
			b.WriteString(e.Type.String() + " ")
		}
	}
	return b.String() + "\n"
}
