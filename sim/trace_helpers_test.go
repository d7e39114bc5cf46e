package sim_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/casimlab/casim/sim"
)

var tokenRe = regexp.MustCompile(`Token:\{TimeNs:(\d+)`)

// tokenTime extracts the token time from a request's trace detail.
func tokenTime(t *testing.T, detail string) int64 {
	t.Helper()
	m := tokenRe.FindStringSubmatch(detail)
	if m == nil {
		t.Fatalf("no token in %q", detail)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hop is one delivered message between two different endpoints.
type hop struct {
	from, to int
	delayNs  int64
}

// hops pairs each delivery with the earliest unmatched send of the same
// message on the same link.
func hops(evs []sim.TraceEvent) []hop {
	type link struct {
		from, to int
		msg      string
	}
	sent := map[link][]int64{}
	var out []hop
	for _, e := range evs {
		if e.From == e.To || e.Msg == "" {
			continue
		}
		l := link{e.From, e.To, e.Msg + e.Detail}
		switch e.Kind {
		case "send":
			sent[l] = append(sent[l], e.AtNs)
		case "deliver":
			if q := sent[l]; len(q) > 0 {
				out = append(out, hop{e.From, e.To, e.AtNs - q[0]})
				sent[l] = q[1:]
			}
		}
	}
	return out
}
