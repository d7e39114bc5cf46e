package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// casim explore's exit statuses: 0 clean and complete, 3 incomplete, 1 a
// violation (whose scenario replays through casim run), 2 bad input.
func TestExploreCLI(t *testing.T) {
	restricted := []string{"--replica-timers=false", "--deadline", "0", "--min-latency", "0"}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		st := dispatch(args, &out, &errb)
		return st, out.String(), errb.String()
	}
	st, out, _ := run(append([]string{"explore", "--protocol", "abd", "--clients", "1", "--json"}, restricted...)...)
	require.Equal(t, exitOK, st, out)
	var j map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	require.Equal(t, true, j["complete"])
	require.Equal(t, "ok", j["verdict"])
	for _, k := range []string{"states", "unique", "states_per_s"} {
		require.Contains(t, j, k)
	}

	st, out, errOut := run("explore", "--protocol", "paxos", "--max-states", "50", "--progress")
	require.Equal(t, exitUnknown, st, out)
	require.Contains(t, out, "complete false (stopped by max-states (50))")
	require.True(t, strings.HasPrefix(errOut, "depth 0: 1 states to expand"), errOut)

	cex := filepath.Join(t.TempDir(), "cex.json")
	st, out, _ = run(append([]string{"explore", "--protocol", "abd/no-write-back", "--workload", "write;read,read",
		"--delays", "3", "--out", cex}, restricted...)...)
	require.Equal(t, exitViolation, st, out)
	require.Contains(t, out, "counterexample, 29 steps")
	st, out, _ = run("run", "--scenario", cex, "--trace")
	require.Equal(t, exitViolation, st, out)
	require.Contains(t, out, "29  t=0ms")
	require.Contains(t, out, "verdict  illegal")

	for _, bad := range [][]string{
		{"explore", "--protocol", "nope"},
		{"explore", "--workload", "write;fly"},
		{"explore", "--faults", "partitions=1"},
		{"explore", "--protocol", "abd", "--workload", "cas"},
		{"explore", "--replicas", "0"},
		{"explore", "--clients", "-1"},
		{"explore", "--ops", "0"},
		{"explore", "--max-memory-mb", "-5"},
		{"explore", "--timeout", "-1s"},
		{"explore", "--progress=maybe"},
	} {
		st, _, errOut := run(bad...)
		require.Equal(t, exitUsage, st, "%v", bad)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
	}
}

// casim explore --html draws its counterexample as casim run --html draws
// a run, and casim run --scenario F --html draws the same from the
// scenario's choices: the same file, which loads in a browser.
func TestExploreHTML(t *testing.T) {
	dir := t.TempDir()
	cex, a, b := filepath.Join(dir, "cex.json"), filepath.Join(dir, "a.html"), filepath.Join(dir, "b.html")
	var out, errb bytes.Buffer
	st := dispatch([]string{"explore", "--protocol", "paxos/accept-any-ballot", "--replicas", "2", "--workload", "write,cas;cas",
		"--replica-timers=false", "--deadline", "0", "--min-latency", "0", "--out", cex, "--html", a}, &out, &errb)
	require.Equal(t, exitViolation, st, "%s%s", out.String(), errb.String())
	st = dispatch([]string{"run", "--scenario", cex, "--html", b}, &out, &errb)
	require.Equal(t, exitViolation, st, "%s%s", out.String(), errb.String())
	ha, err := os.ReadFile(a)
	require.NoError(t, err)
	hb, err := os.ReadFile(b)
	require.NoError(t, err)
	require.Equal(t, string(ha), string(hb))
	for _, want := range []string{"counterexample of casim explore, 40 steps", "step 40", "<svg", "W1", "illegal"} {
		require.Contains(t, string(ha), want)
	}
	requireChromium(t)
	o, err := exec.Command("../../scripts/check-html.sh", a).CombinedOutput()
	require.NoError(t, err, "%s", o)
}
