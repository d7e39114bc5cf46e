package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// traceLine is one event line of `run --trace`: tag, time, node, event.
var traceLine = regexp.MustCompile(`^([WC]\d+)?\s+\d+\.\d{3}ms  (n\d+|c\d+|-)\s+\S`)

// firstFailingSeed is the first seed of the broken variant that the
// checker finds illegal, so that the tests do not pin a seed that a change
// to the variant could turn clean.
func firstFailingSeed(t *testing.T) string {
	for seed := 1; seed <= 20; seed++ {
		if st, _, _ := casim("run", "--protocol", "paxos/accept-any-ballot", "--seed", strconv.Itoa(seed), "--json"); st == exitViolation {
			return strconv.Itoa(seed)
		}
	}
	t.Fatal("no failing seed of paxos/accept-any-ballot among 1..20")
	return ""
}

// traceLines returns the event lines of a --trace output and the tags its
// legend lists.
func traceLines(t *testing.T, out string) (lines, legend []string) {
	_, rest, ok := strings.Cut(out, "\ntrace: ")
	require.True(t, ok, "no trace in the output")
	require.Contains(t, rest, "\nverdict", "the trace comes before the verdict")
	head, body, ok := strings.Cut(rest, "\nop           time  node event\n")
	require.True(t, ok, "no column header:\n%s", rest[:min(len(rest), 2000)])
	events, _, _ := strings.Cut(body, "\n\n")
	for _, l := range strings.Split(head, "\n") {
		if f := strings.Fields(l); len(f) > 0 && regexp.MustCompile(`^[WC]\d+$`).MatchString(f[0]) {
			legend = append(legend, f[0])
		}
	}
	return strings.Split(events, "\n"), legend
}

func TestTraceMarksTheWitness(t *testing.T) {
	st, out, _ := casim("run", "--protocol", "paxos/accept-any-ballot", "--seed", firstFailingSeed(t), "--trace")
	require.Equal(t, exitViolation, st)
	lines, legend := traceLines(t, out)
	require.Contains(t, legend, "W1")
	tagged := map[string]int{}
	for _, l := range lines {
		m := traceLine.FindStringSubmatch(l)
		require.NotNil(t, m, "malformed trace line %q", l)
		tagged[m[1]]++
	}
	for _, tag := range legend {
		// Every marked operation at least invokes, sends its request, and
		// completes (or misses its deadline).
		require.GreaterOrEqual(t, tagged[tag], 3, "tag %s", tag)
	}
	require.Contains(t, out, "\nW1 ")
	require.Regexp(t, `(?m)^W1 .* invoke  `, out)
}

func TestTraceOfACleanRunHasNoMarks(t *testing.T) {
	st, out, _ := casim("run", "--protocol", "paxos", "--seed", "3", "--trace")
	require.Equal(t, exitOK, st)
	lines, legend := traceLines(t, out)
	require.Empty(t, legend)
	require.Greater(t, len(lines), 100)
	for _, l := range lines {
		m := traceLine.FindStringSubmatch(l)
		require.NotNil(t, m, "malformed trace line %q", l)
		require.Empty(t, m[1], "a clean run marks nothing: %q", l)
	}
	require.Regexp(t, `(?m)^ +\S+ms  n\d +→ n\d( n\d)+  \S`, out, "a broadcast is one line")
	require.NotContains(t, out, ":false", "false fields are left out")
}
