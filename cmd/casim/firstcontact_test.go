package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMain lets a test run this binary as casim itself (CASIM_AS_MAIN=1),
// for what only a real process shows: signals and exit statuses.
func TestMain(m *testing.M) {
	if os.Getenv("CASIM_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// What a new user meets first: each bad input is refused at once with one
// line on stderr and exit status 2, before anything runs or is printed.
func TestBadInputIsRefusedBeforeAnything(t *testing.T) {
	dir := t.TempDir()
	unwritable := filepath.Join(dir, "no-such-dir", "out")
	scenario := func(body string) string {
		f := filepath.Join(dir, "s.json")
		require.NoError(t, os.WriteFile(f, []byte(body), 0o644))
		return f
	}
	for _, tc := range []struct {
		args []string
		want string // in the one line on stderr
	}{
		{[]string{"run", "--html", unwritable}, "cannot write " + unwritable},
		{[]string{"run", "--history", unwritable}, "cannot write " + unwritable},
		{[]string{"run", "--scenario-out", unwritable}, "cannot write " + unwritable},
		{[]string{"compare", "--protocols", "paxos", "--seeds", "1", "--html", unwritable}, "cannot write " + unwritable},
		{[]string{"shrink", "--protocol", "paxos/accept-any-ballot", "--seed", "7", "--out", unwritable}, "cannot write " + unwritable},
		{[]string{"check", "--html", unwritable, "../../checker/testdata/maelstrom-lin-kv-ok.edn"}, "cannot write " + unwritable},
		{[]string{"run", "--scenario", scenario(`{"casim_scenario": 1, "protocol": "paxos", "protocol_options": {"bogus": "on"}}`)},
			`protocol paxos has no option "bogus"`},
		{[]string{"sweep", "--start", "18446744073709551614", "--seeds", "5"}, "runs past the last seed"},
	} {
		st, out, errOut := casim(tc.args...)
		require.Equal(t, exitUsage, st, "%v: %s", tc.args, errOut)
		require.Empty(t, out, "%v: nothing is printed before the error", tc.args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", tc.args, errOut)
		require.Contains(t, errOut, tc.want, "%v", tc.args)
	}
	// The largest range that fits still runs.
	st, out, _ := casim("sweep", "--start", "18446744073709551611", "--seeds", "5")
	require.Equal(t, exitOK, st)
	require.Contains(t, out, "5 seeds from 18446744073709551611")
	// Checking that a file can be written leaves none behind.
	report := filepath.Join(dir, "report.html")
	st, _, _ = casim("run", "--html", report, "--history", unwritable)
	require.Equal(t, exitUsage, st)
	_, err := os.Stat(report)
	require.True(t, os.IsNotExist(err), "%v", err)
}

// Bare casim prints the usage, not a 1000-seed sweep.
func TestBareCasimPrintsUsage(t *testing.T) {
	st, out, errOut := casim()
	require.Equal(t, exitUsage, st)
	require.Empty(t, out)
	require.Contains(t, errOut, "Usage: casim <command> [flags]")
	require.Contains(t, errOut, "  sweep ")
}

func TestProtocolsHeaderAndJSONOptions(t *testing.T) {
	_, out, _ := casim("protocols")
	require.Regexp(t, `^protocol +operations +expected +description\n`, out)
	_, out, _ = casim("protocols", "--json")
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var p map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &p))
		require.NotNil(t, p["options"], "%s: options must be [], not null", p["name"])
		// Option keys are snake case like the rest, and their lists are
		// lists: {"name": ..., "values": [...], "draw": []}.
		for _, o := range p["options"].([]any) {
			for _, k := range []string{"name", "values", "default", "description", "draw"} {
				require.Contains(t, o, k, "%s: option key %q", p["name"], k)
			}
			require.NotNil(t, o.(map[string]any)["draw"], "%s: draw must be [], not null", p["name"])
		}
	}
}

// The --faults help names the default rather than an example.
func TestFaultsFlagHelpNamesTheDefault(t *testing.T) {
	for _, cmd := range []string{"run", "sweep", "shrink", "compare"} {
		_, _, errOut := casim(cmd, "-h")
		i := strings.Index(errOut, "  -faults settings\n")
		require.GreaterOrEqual(t, i, 0, "%s -h:\n%s", cmd, errOut)
		require.Contains(t, errOut[i:], "default: ", cmd)
		require.Contains(t, errOut[i:], "drop=0.02,dup=0.02", cmd)
	}
}

// A shrunk scenario's header gives the size it runs, not the size of the
// run it was cut from.
func TestShrunkScenarioHeaderGivesItsSize(t *testing.T) {
	f := filepath.Join(t.TempDir(), "shrunk.json")
	st, _, errOut := casim("shrink", "--profile", "classic", "--protocol", "paxos/accept-any-ballot", "--seed", "2", "--out", f)
	require.Equal(t, exitViolation, st, errOut)
	// The shrunk size depends on the protocol's behaviour: read it from
	// the file rather than fixing it here.
	data, err := os.ReadFile(f)
	require.NoError(t, err)
	var sc struct{ Ops [][]int }
	require.NoError(t, json.Unmarshal(data, &sc))
	ops, clients := 0, 0
	for _, c := range sc.Ops {
		ops += len(c)
		if len(c) > 0 {
			clients++
		}
	}
	require.Less(t, ops, 23, "the shrink did not shrink")
	_, out, _ := casim("run", "--scenario", f)
	require.Contains(t, out, fmt.Sprintf("cluster  3 replicas, %d ops listed in the scenario, on %d of 4 clients (concurrency 1)", ops, clients))
	require.NotContains(t, out, "× 23 ops")
}

// Ctrl-C stops a sweep: the summary of the seeds that ran is printed, and
// the exit status is 130, not a verdict over seeds that never ran.
func TestInterruptedSweepExits130(t *testing.T) {
	cmd := exec.Command(os.Args[0], "sweep", "--seeds", "1000000", "--json")
	cmd.Env = append(os.Environ(), "CASIM_AS_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the first seed's line")
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	var last string
	for lines.Scan() {
		last = lines.Text()
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, exitInterrupted, exit.ExitCode())
	var sum map[string]any
	require.NoError(t, json.Unmarshal([]byte(last), &sum))
	require.Equal(t, true, sum["summary"])
	require.Equal(t, true, sum["interrupted"])
}

// A history in which nothing completed is refused: an empty file, blank
// lines or empty standard input, and invokes only. "Linearizable" would
// hide a broken pipeline.
func TestCheckRefusesAHistoryWithNothingCompleted(t *testing.T) {
	invoke := `{"type":"invoke","process":0,"f":"write","key":"x","value":1}` + "\n"
	for _, tc := range []struct {
		name, content, want string
	}{
		{"empty.jsonl", "", "empty.jsonl: no completed operation: the history has no operations"},
		{"blank.jsonl", "\n\n", "blank.jsonl: no completed operation: the history has no operations"},
		{"invokes.jsonl", invoke + strings.Replace(invoke, `"process":0`, `"process":1`, 1),
			"invokes.jsonl: no completed operation: 2 invokes, none completed"},
	} {
		path := writeTemp(t, tc.name, tc.content)
		st, out, errOut := casim("check", path)
		require.Equal(t, exitUsage, st, tc.name)
		require.Empty(t, out, tc.name)
		require.Equal(t, "casim check: "+filepath.Dir(path)+"/"+tc.want+"\n", errOut)
	}
	old := checkStdin
	defer func() { checkStdin = old }()
	checkStdin = strings.NewReader("")
	st, _, errOut := casim("check", "-")
	require.Equal(t, exitUsage, st)
	require.Equal(t, "casim check: stdin: no completed operation: the history has no operations\n", errOut)
}

// The run header shows the mix that runs: lww and abd have no cas, so
// mix=50/0/50 runs only reads, and the header says where the cas share
// went instead of showing "cas 50%".
func TestRunHeaderShowsTheMixThatRuns(t *testing.T) {
	for _, tc := range []struct{ proto, faults, want string }{
		{"lww", "mix=50/0/50", "2 keys (read 100% write 0%; mix 50/0/50 asked, but lww has no cas: its share went to the others)\n"},
		{"abd", "none", "2 keys (read 67% write 33%; mix 40/20/40 asked, but abd has no cas: its share went to the others)\n"},
		{"paxos", "mix=50/0/50", "2 keys (read 50% write 0% cas 50%)\n"},
	} {
		st, out, errOut := casim("run", "--profile", "classic", "--protocol", tc.proto, "--faults", tc.faults+",ops=2")
		require.Equal(t, exitOK, st, errOut)
		require.Contains(t, out, tc.want, tc.proto)
	}
	// The history agrees: lww with mix=50/0/50 records no cas and no write.
	f := filepath.Join(t.TempDir(), "h.jsonl")
	st, _, errOut := casim("run", "--profile", "classic", "--protocol", "lww", "--faults", "mix=50/0/50", "--history", f)
	require.Equal(t, exitOK, st, errOut)
	h, err := os.ReadFile(f)
	require.NoError(t, err)
	require.Contains(t, string(h), `"f":"read"`)
	require.NotContains(t, string(h), `"f":"cas"`)
	require.NotContains(t, string(h), `"f":"write"`)
}

// Aimed faults show in the run header: a reader of "1 crashes" alone
// cannot tell that every crash strikes the primary.
func TestRunHeaderNamesAimedFaults(t *testing.T) {
	st, out, errOut := casim("run", "--profile", "classic", "--protocol", "pb", "--faults", "crash-nodes=0,isolate-nodes=0+2")
	require.Equal(t, exitOK, st, errOut)
	require.Contains(t, out, "(20ms–150ms, isolations aimed at replicas [0 2]), 1 crashes aimed at replicas [0] (20ms–150ms)")
	_, out, _ = casim("run", "--profile", "classic", "--protocol", "paxos")
	require.NotContains(t, out, "aimed")
}

// casim help CMD shows CMD's flags, as casim CMD -h does; an unknown
// command is refused.
func TestHelpNamesACommand(t *testing.T) {
	st, _, errOut := casim("help", "run")
	want, _, wantErr := casim("run", "-h")
	require.Equal(t, want, st)
	require.Equal(t, wantErr, errOut)
	require.Contains(t, errOut, "-faults settings")
	st, _, errOut = casim("help", "nope")
	require.Equal(t, exitUsage, st)
	require.Contains(t, errOut, `unknown command "nope"`)
}

// Times that run backward are checked by line order, as HISTORY.md says,
// with a note naming the first line that goes back (a sign of merged or
// wrongly sorted lines): the write completes "before" it is invoked.
func TestCheckNotesTimesThatRunBackward(t *testing.T) {
	path := writeTemp(t, "back.jsonl", `{"type":"invoke","process":0,"f":"write","key":"x","value":1,"time":500}
{"type":"ok","process":0,"f":"write","key":"x","value":1,"time":100}
`)
	st, out, errOut := casim("check", path)
	require.Equal(t, exitOK, st)
	require.Contains(t, out, "linearizable")
	require.Equal(t, "casim check: note: "+path+" line 2: time 100 is earlier than line 1's 500; line order decides (times are informative)\n", errOut)
	path = writeTemp(t, "forward.jsonl", `{"type":"invoke","process":0,"f":"write","key":"x","value":1,"time":100}
{"type":"ok","process":0,"f":"write","key":"x","value":1,"time":500}
`)
	_, _, errOut = casim("check", path)
	require.Empty(t, errOut)
}
