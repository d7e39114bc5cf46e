package report_test

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

var barTitle = regexp.MustCompile(`<title>(?:W\d+ )?([a-z]+\([^)]*\))[^<]*⇒  (?:complete|deadline) ([^<]*)</title>`)

// In the HTML report of a batching protocol (pb's primary answers several
// operations on one acknowledgement), every operation bar pairs an
// invoke with its own completion.
func TestHTMLBarsPairEachInvokeWithItsOwnCompletion(t *testing.T) {
	whole := 0 // seeds whose whole run is drawn
	for seed := uint64(1); seed <= 3; seed++ {
		cfg, err := sim.ProtocolDefault("pb", seed)
		require.NoError(t, err)
		cfg.Client.Concurrency = 2
		sc := sim.Scenario{Config: cfg}
		var events []sim.TraceEvent
		o, err := sweep.Simulate(sc, sim.Options{Observe: func(e sim.TraceEvent) { events = append(events, e) }}, 0, true)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, report.WriteRun(&b, report.Run{Outcome: o, Events: events, Scenario: sc}))
		page := html.UnescapeString(b.String())
		bars := barTitle.FindAllStringSubmatch(page, -1)
		if strings.Contains(page, "Only the first") {
			// A long run's diagram stops at maxDiagRows instants: the
			// operations after that have no bar.
			require.NotEmpty(t, bars, "seed %d", seed)
			require.LessOrEqual(t, len(bars), o.Ops, "seed %d", seed)
		} else {
			whole++
			require.Len(t, bars, o.Ops, "seed %d: every operation bar ends in its completion", seed)
		}
		for _, m := range bars {
			require.True(t, strings.Contains(m[2], m[1]), "seed %d: a bar pairs %s with %s", seed, m[1], m[2])
		}
	}
	require.NotZero(t, whole, "no seed's run was drawn whole: every bar count went unchecked")
}
