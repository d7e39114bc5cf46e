package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/casimlab/casim/protocol"
)

// TestMixForGivesUnsupportedSharesToTheOthers: lww and abd have no cas, so
// a cas share goes to reads and writes in their proportions; paxos runs
// the mix as asked.
func TestMixForGivesUnsupportedSharesToTheOthers(t *testing.T) {
	lookup := func(name string) protocol.Protocol {
		p, err := protocol.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	approx := cmpopts.EquateApprox(0, 1e-12)
	for _, c := range []struct {
		proto   string
		in, out Mix
	}{
		{"lww", Mix{0.5, 0, 0.5}, Mix{1, 0, 0}},
		{"abd", Mix{0.4, 0.2, 0.4}, Mix{2.0 / 3, 1.0 / 3, 0}},
		{"paxos", Mix{0.4, 0.2, 0.4}, Mix{0.4, 0.2, 0.4}},
		{"paxos", Mix{2, 1, 1}, Mix{0.5, 0.25, 0.25}},
		{"abd", Mix{0, 0, 1}, Mix{0, 0, 1}}, // refused by validation, left alone
	} {
		if d := cmp.Diff(c.out, c.in.For(lookup(c.proto)), approx); d != "" {
			t.Errorf("%s %v: (-want +got)\n%s", c.proto, c.in, d)
		}
	}
}
