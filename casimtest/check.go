package casimtest

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/model"
	_ "github.com/casimlab/casim/protocol/all" // register every protocol
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sim/shrink"
)

// checkBudget bounds each test case's check. The drawn runs are small and
// decided in milliseconds; the bound only stops a pathological case. (A
// budget that ran out would make the witness, and so the message, depend
// on the machine: rapid would call that flaky.)
const checkBudget = 20 * time.Second

// Check is the one-call property: rapid draws scenarios of protocol
// within opts, and the test fails if a run is not linearizable (or, unless
// opts.AllowStuck, gets stuck after the faults heal). The failure names
// the minimal witness and gives the shrunk scenario with the command that
// replays it. t is usually a *testing.T.
func Check(t rapid.TB, protocol string, opts Options) {
	t.Helper()
	gen := Scenario(protocol, opts)
	tb := &onceTB{TB: t, opts: opts}
	rapid.Check(tb, func(rt *rapid.T) {
		sc := gen.Draw(rt, "scenario")
		if msg := failure(sc, opts, false); msg != "" {
			tb.last, tb.lastMsg = sc, msg
			rt.Fatal(msg)
		}
	})
}

// onceTB prints a failure once. rapid reports a failing property's
// message, then replays the minimal case under the test's log, which
// prints the message again after a dump (%#v) of every drawn value: a
// scenario is about 250 lines of Go struct syntax, and the message already
// holds it as a replayable JSON file. So the replay's log is dropped, and
// rapid's report keeps the message and how to reproduce it.
//
// rapid shrinks a run of the default sweep by its seed only, and the
// generator's own runs only as far as its draws reach (whole clients'
// operations, whole faults), so every failure is shrunk further with
// casim's shrinker (package sim/shrink) before it is reported. The last
// failing case rapid ran is the one it reports, and the shrinker is
// deterministic, so the message still depends on the case alone.
type onceTB struct {
	rapid.TB
	opts    Options
	last    sim.Scenario
	lastMsg string
}

func (*onceTB) Log(...any)          {}
func (*onceTB) Logf(string, ...any) {}
func (o *onceTB) Errorf(format string, args ...any) {
	o.TB.Helper()
	report := strings.TrimSuffix(fmt.Sprintf(format, args...), "\nFailed test output:")
	if o.lastMsg != "" && strings.Contains(report, o.lastMsg) {
		report = strings.Replace(report, o.lastMsg, shrunkFailure(o.last, o.opts), 1)
	}
	o.TB.Error(report)
}

// shrunkFailure is the failure of sc (its first line is the property's
// message, without the witness), shrunk; unshrunk if the shrinker cannot
// shrink it (a failure it does not know).
func shrunkFailure(sc sim.Scenario, opts Options) string {
	r, err := shrink.Shrink(context.Background(), sc, shrink.Options{CheckBudget: checkBudget})
	if err != nil {
		return Failure(sc, opts)
	}
	small := Failure(r.Minimal, opts)
	if small == "" {
		return Failure(sc, opts)
	}
	from := "seed %d of %s's default sweep"
	if sc.Ops != nil {
		from = "drawn from seed %d of %s's default sweep"
	}
	return small + fmt.Sprintf("\n(shrunk by casim's shrinker, in %d runs, from a run of %d ops and %d faults: "+from+")\n",
		r.Runs, r.Before.Ops, r.Before.Faults, sc.Seed, sc.Protocol)
}

// Failure runs sc and checks its history. It returns "" if the run passed
// (a check whose budget ran out passes: no violation was found), and else
// a report that depends on sc alone.
func Failure(sc sim.Scenario, opts Options) string { return failure(sc, opts, true) }

// failure is Failure; without witness, only its first line (the
// verdict and the run's size), which costs a check without shrinking
// the witness: a mixture run's witness can take seconds, and rapid's
// shrinking runs hundreds of cases.
func failure(sc sim.Scenario, opts Options, witness bool) string {
	res, err := sim.RunScenario(sc, sim.Options{})
	if err != nil {
		return fmt.Sprintf("casimtest: %s: the scenario does not run: %v", sc.Protocol, err)
	}
	chk, err := checker.CheckWith(context.Background(), res.History, checker.Options{Budget: checkBudget, NoWitness: !witness})
	if err != nil {
		return fmt.Sprintf("casimtest: %s: the recorded history is invalid: %v", sc.Protocol, err)
	}
	var b strings.Builder
	ops, faults := sc.Size()
	what := fmt.Sprintf("%d replicas, %d clients, %d ops, %d faults", sc.Replicas, sc.Clients, ops, faults)
	switch {
	case chk.Verdict == checker.Illegal:
		fmt.Fprintf(&b, "casimtest: %s is not linearizable (%s) in a run of %s\n", sc.Protocol, model.KeyPhrase(chk.Key), what)
		writeWitness(&b, chk)
	case res.Stuck != "" && !opts.AllowStuck:
		fmt.Fprintf(&b, "casimtest: %s got stuck in a run of %s: %s\n", sc.Protocol, what, res.Stuck)
	case res.Unavailable != "" && !opts.AllowStuck:
		fmt.Fprintf(&b, "casimtest: %s was unavailable in a run of %s: %s\n", sc.Protocol, what, res.Unavailable)
	default:
		return ""
	}
	if !witness {
		return b.String()
	}
	writeReplay(&b, sc)
	return b.String()
}

// writeWitness prints the violation's minimal witness as a timeline, as
// `casim run` does.
func writeWitness(b *strings.Builder, chk checker.Result) {
	if len(chk.Witness) == 0 {
		return
	}
	fmt.Fprintf(b, "\nminimal witness: %d ops of %s that cannot be linearized together", len(chk.Witness), model.KeyPhrase(chk.Key))
	if len(chk.Context) > 0 {
		fmt.Fprintf(b, ",\neven if the %d writes marked * took effect at any time after their invoke, or never", len(chk.Context))
	}
	b.WriteString("\n\n")
	all := append(slices.Clone(chk.Witness), chk.Context...)
	slices.SortFunc(all, func(x, y checker.Op) int { return cmp.Compare(x.Call, y.Call) })
	for _, line := range strings.Split(strings.TrimRight(checker.Timeline(all, 98), "\n"), "\n") {
		fmt.Fprintf(b, "  %s\n", line)
	}
	b.WriteString("\n")
	for _, op := range all {
		mark := " "
		if slices.ContainsFunc(chk.Context, func(c checker.Op) bool { return c.Call == op.Call }) {
			mark = "*"
		}
		fmt.Fprintf(b, " %sp%d %s\n", mark, op.Process, model.Describe(op.Input, op.Output))
	}
	for _, p := range chk.Phantoms() {
		fmt.Fprintf(b, "\n%s\n", p.Explain(func(op checker.Op) string {
			return fmt.Sprintf("p%d %s", op.Process, model.Describe(op.Input, op.Output))
		}))
	}
}

// writeReplay gives the scenario inline (a file under the test's temporary
// directory would be gone, and its path would change every run), as one
// line holding only what differs from the protocol's default scenario.
func writeReplay(b *strings.Builder, sc sim.Scenario) {
	js, err := sc.CompactJSON()
	if err != nil {
		var full bytes.Buffer
		_ = sc.WriteJSON(&full)
		js = full.Bytes()
	}
	b.WriteString("\nreplay: save the scenario below as scenario.json, then\n")
	b.WriteString("  casim run --scenario scenario.json --trace      (or --html report.html)\n\n")
	b.Write(bytes.TrimSpace(js))
	b.WriteString("\n")
}
