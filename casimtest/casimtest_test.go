package casimtest_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/casimlab/casim/casimtest"
	"github.com/casimlab/casim/sim"
)

// fakeTB is a rapid.TB that records a property's failure instead of
// failing the test, so that a test can assert that a property fails.
type fakeTB struct {
	name   string
	errors []string
	logs   []string
	failed bool
}

func (f *fakeTB) Helper()                      {}
func (f *fakeTB) Name() string                 { return f.name }
func (f *fakeTB) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }
func (f *fakeTB) Log(a ...any)                 { f.logs = append(f.logs, fmt.Sprint(a...)) }
func (f *fakeTB) Skipf(string, ...any)         { panic("skip") }
func (f *fakeTB) Skip(...any)                  { panic("skip") }
func (f *fakeTB) SkipNow()                     { panic("skip") }
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
	f.failed = true
}
func (f *fakeTB) Error(a ...any)                 { f.errors = append(f.errors, fmt.Sprint(a...)); f.failed = true }
func (f *fakeTB) Fatalf(format string, a ...any) { f.Errorf(format, a...) }
func (f *fakeTB) Fatal(a ...any)                 { f.Error(a...) }
func (f *fakeTB) FailNow()                       { f.failed = true }
func (f *fakeTB) Fail()                          { f.failed = true }
func (f *fakeTB) Failed() bool                   { return f.failed }

// output is everything the property reported, as a test's log would show.
func (f *fakeTB) output() string { return strings.Join(append(f.errors, f.logs...), "\n") }

func TestPaxosPasses(t *testing.T) {
	casimtest.Check(t, "paxos", casimtest.Options{})
}

// The property catches the broken variant and shrinks it to a small run;
// its message holds a scenario that replays to the same failure; and the
// fail file rapid leaves is replayed first when the test runs again.
func TestCatchesAcceptAnyBallot(t *testing.T) {
	t.Chdir(t.TempDir()) // rapid writes its fail file under ./testdata/rapid
	first := &fakeTB{name: "CatchesAcceptAnyBallot"}
	casimtest.Check(first, "paxos/accept-any-ballot", casimtest.Options{})
	require.True(t, first.Failed(), "the property must fail")
	msg := failureMessage(t, first.output())
	t.Log(msg)
	require.Contains(t, msg, "casimtest: paxos/accept-any-ballot is not linearizable")
	require.Contains(t, msg, "minimal witness")
	require.Contains(t, msg, "casim run --scenario scenario.json")
	// Printed once, readably: no second copy, no dump of the drawn Go
	// values, a scenario of one line.
	require.Equal(t, 1, strings.Count(first.output(), "casimtest: "), first.output())
	require.NotContains(t, first.output(), "sim.Scenario{")
	require.Less(t, strings.Count(first.output(), "\n"), 40, first.output())

	// The scenario in the message replays to the same message.
	_, js, _ := strings.Cut(msg, "(or --html report.html)\n\n")
	sc, err := sim.ReadScenario(strings.NewReader(js))
	require.NoError(t, err)
	require.Equal(t, msg, casimtest.Failure(sc, casimtest.Options{}))
	ops, faults := sc.Size()
	// The generator's cases are default-sweep (mixture) runs, of 20 to
	// 240 operations, which sim/shrink cuts down before rapid reports
	// them; where rapid's own seed lands decides how far (4 to 17
	// operations seen in six rapid seeds).
	require.LessOrEqual(t, ops, 20, "shrunk to a few operations")
	require.LessOrEqual(t, faults, 2, "and few faults")

	// rapid saved the failing case, and replays it before anything else.
	files, err := filepath.Glob("testdata/rapid/CatchesAcceptAnyBallot/*.fail")
	require.NoError(t, err)
	require.Len(t, files, 1)
	again := &fakeTB{name: "CatchesAcceptAnyBallot"}
	casimtest.Check(again, "paxos/accept-any-ballot", casimtest.Options{})
	require.True(t, again.Failed())
	require.Contains(t, again.output(), "failed after 0 tests", "found in the fail file, before any new case")
	require.Contains(t, again.output(), files[0])
	require.Equal(t, msg, failureMessage(t, again.output()))
	files, _ = filepath.Glob("testdata/rapid/CatchesAcceptAnyBallot/*.fail")
	require.Len(t, files, 1, "no second fail file")
}

// failureMessage is casimtest's message inside rapid's report.
func failureMessage(t *testing.T, out string) string {
	i := strings.Index(out, "casimtest: ")
	require.GreaterOrEqual(t, i, 0, out)
	const replay = "(or --html report.html)\n\n"
	j := strings.Index(out[i:], replay)
	require.GreaterOrEqual(t, j, 0, out)
	k := strings.Index(out[i+j+len(replay):], "\n")
	require.GreaterOrEqual(t, k, 0, out)
	return out[i : i+j+len(replay)+k+1]
}

// Every drawn scenario is valid: it survives its own JSON (which
// validates it) and runs.
func TestScenariosAreValid(t *testing.T) {
	opts := casimtest.Options{ClockSteps: true, MaxFaults: 6}
	rapid.Check(t, func(rt *rapid.T) {
		sc := casimtest.Scenario("paxos", opts).Draw(rt, "scenario")
		var b strings.Builder
		require.NoError(rt, sc.WriteJSON(&b))
		back, err := sim.ReadScenario(strings.NewReader(b.String()))
		require.NoError(rt, err)
		require.Equal(rt, sc, back)
		for _, ops := range sc.Ops {
			require.IsIncreasing(rt, ops)
		}
		require.IsNonDecreasing(rt, startTimes(sc.Schedule))
		_, err = sim.RunScenario(sc, sim.Options{})
		require.NoError(rt, err)
	})
}

func startTimes(s []sim.Fault) []int64 {
	out := make([]int64, len(s))
	for i, f := range s {
		out[i] = f.StartNs
	}
	return out
}
