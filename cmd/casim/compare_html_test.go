package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// compareReport writes the HTML report of a small comparison with a
// partition scenario, so that every kind of chart is drawn.
func compareReport(t *testing.T) (path, text string) {
	path = filepath.Join(t.TempDir(), "compare.html")
	st, _, errOut := casim("compare", "--protocols", "paxos,lww", "--seeds", "8",
		"--scenario-set", "none,coordinator-isolation", "--html", path)
	require.Equal(t, exitOK, st, errOut)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return path, string(b)
}

func TestCompareHTMLHasItsCharts(t *testing.T) {
	_, text := compareReport(t)
	requireSelfContained(t, text)
	require.NotContains(t, text, "<script")
	for _, want := range []string{
		"<h2>scenario none</h2>", "<h2>scenario coordinator-isolation</h2>",
		"latency CDF: read", "latency CDF: cas", "messages per operation",
		"availability across a partition and its heal", "partition (mean 150ms)",
		`<td>lww</td><td>write</td>`, `id="casim-status"`,
	} {
		require.Contains(t, text, want)
	}
	// Per scenario: CDFs of read, write, cas and the bars; the partition
	// scenario adds availability and latency over time.
	require.Equal(t, 4+6, strings.Count(text, "<svg "))
	// A protocol without cas has no line in the cas chart.
	cas := text[strings.Index(text, "latency CDF: cas"):]
	cas = cas[:strings.Index(cas, "</svg>")]
	require.Contains(t, cas, "<title>paxos</title>")
	require.NotContains(t, cas, "<title>lww</title>")
}

// The report must render in a real browser; Debian's chromium is optional
// on a developer's machine (the test skips without it) and required in CI.
func TestCompareHTMLLoadsInChromium(t *testing.T) {
	requireChromium(t)
	path, _ := compareReport(t)
	shot := filepath.Join(t.TempDir(), "compare.png")
	out, err := exec.Command("../../scripts/check-html.sh", path, shot).CombinedOutput()
	require.NoError(t, err, "%s", out)
	st, err := os.Stat(shot)
	require.NoError(t, err)
	require.Greater(t, st.Size(), int64(10_000), "the screenshot is blank")
}
