package explore

import (
	"context"
	"os"
	"testing"

	"github.com/casimlab/casim/protocol"
)

func TestProf(t *testing.T) {
	if os.Getenv("PROF") == "" {
		t.Skip()
	}
	p, _ := protocol.Lookup("paxos/accept-any-ballot")
	c := NewConfig(p, 2, 1)
	c.Workload, _ = ParseWorkload("write,cas;cas")
	c.Delays = 2
	r, _ := Explore(context.Background(), c)
	t.Logf("%v %d %d %.0f", r.Verdict, r.States, r.Unique, r.StatesPerSecond())
}
