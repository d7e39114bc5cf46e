package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// htmlReport runs casim with --html and returns the report's text.
func htmlReport(t *testing.T, wantStatus int, args ...string) (path, text string) {
	path = filepath.Join(t.TempDir(), "report.html")
	st, _, errOut := casim(append(append([]string{"run"}, args...), "--html", path)...)
	require.Equal(t, wantStatus, st, errOut)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return path, string(b)
}

// requireSelfContained: the report must open offline, so nothing in it may
// point elsewhere (the SVG namespace is a name, not a fetch).
func requireSelfContained(t *testing.T, text string) {
	rest := strings.ReplaceAll(text, "http://www.w3.org/2000/svg", "")
	require.NotRegexp(t, `https?:`, rest)
	require.NotRegexp(t, `<(script|img|link|iframe)[^>]*\s(src|href)=`, text)
}

func TestHTMLReportOfAViolation(t *testing.T) {
	_, text := htmlReport(t, exitViolation, "--protocol", "paxos/accept-any-ballot", "--seed", firstFailingSeed(t))
	requireSelfContained(t, text)
	for _, want := range []string{
		`<span class="verdict-illegal">illegal</span>`,
		`<b>W1</b>`,                     // the violation's operations, listed
		`class="msg witness"`,           // and their messages highlighted
		`class="op witness"`,            // and their bars
		`<iframe id="linearization"`,    // porcupine's view
		`srcdoc="&lt;!doctype html&gt;`, // inline, not fetched
		`id="casim-status"`,
		"replay: <code>casim run --protocol paxos/accept-any-ballot --seed ",
	} {
		require.Contains(t, text, want)
	}
	// Every fault has a lane on the diagram's timeline.
	faults := regexp.MustCompile(`<tr><td>(F\d+)</td>`).FindAllStringSubmatch(text, -1)
	for _, f := range faults {
		require.Contains(t, text, `>`+f[1]+`</text>`)
	}
}

func TestHTMLReportOfACleanRun(t *testing.T) {
	_, text := htmlReport(t, exitOK, "--protocol", "paxos", "--seed", "3")
	requireSelfContained(t, text)
	require.Contains(t, text, `<span class="verdict-ok">ok</span>`)
	require.Contains(t, text, "No violation: the whole run is drawn.")
	require.NotContains(t, text, "The violation")
	require.NotContains(t, text, "witness\"")
	require.Contains(t, text, `<iframe id="linearization"`)
}

// The same run gives the same report, byte for byte: reports can be
// diffed and attached to bug reports without noise.
func TestHTMLReportIsRepeatable(t *testing.T) {
	_, a := htmlReport(t, exitOK, "--protocol", "paxos", "--seed", "5")
	_, b := htmlReport(t, exitOK, "--protocol", "paxos", "--seed", "5")
	require.Equal(t, a, b)
}

// The report must load in a real browser without script errors (its own
// script and porcupine's). Debian's chromium is optional on a developer's
// machine: without it the test is skipped, and CI runs the script itself.
func TestHTMLReportLoadsInChromium(t *testing.T) {
	requireChromium(t)
	bad, _ := htmlReport(t, exitViolation, "--protocol", "paxos/accept-any-ballot", "--seed", firstFailingSeed(t))
	clean, _ := htmlReport(t, exitOK, "--protocol", "paxos", "--seed", "3")
	for _, path := range []string{bad, clean} {
		out, err := exec.Command("../../scripts/check-html.sh", path).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	// And the script does catch an error.
	b, err := os.ReadFile(clean)
	require.NoError(t, err)
	broken := filepath.Join(t.TempDir(), "broken.html")
	require.NoError(t, os.WriteFile(broken, []byte(strings.Replace(string(b), "<script>", "<script>undefinedFunction();", 1)), 0o644))
	out, err := exec.Command("../../scripts/check-html.sh", broken).CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "Uncaught")
}
