package report_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// A timer mark in the HTML diagram says which timer fired: its kind and
// key, not only when.
func TestTimerMarksNameKindAndKey(t *testing.T) {
	cfg := sim.DefaultConfig("paxos", 2)
	require.NoError(t, cfg.ApplyFaults("none,ops=5,drop=0.3"))
	sc := sim.Scenario{Config: cfg}
	var events []sim.TraceEvent
	o, err := sweep.Simulate(sc, sim.Options{Observe: func(e sim.TraceEvent) { events = append(events, e) }}, 0, true)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, report.WriteRun(&b, report.Run{Outcome: o, Events: events, Scenario: sc}))
	page := b.String()
	require.Regexp(t, regexp.MustCompile(`timer at [0-9.]+ms: kind \d+ key k\d id \d+ seq \d+`), page)
	require.NotRegexp(t, regexp.MustCompile(`timer at [0-9.]+ms"`), page, "a bare timer mark")
}
