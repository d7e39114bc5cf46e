package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
)

// The late proposal of issue 3: a write's only attempt waits at a paused
// coordinator past its deadline; the client resolves it ("not applied")
// elsewhere; then the coordinator resumes and works on the request. The
// resolving read's tombstone must keep the write from ever taking effect,
// so the later read finds nothing. paxos/cassandra-12126, which answers
// the resolving read without a proposal (and so without the tombstone),
// lets the zombie write through.
func TestLateProposalAfterResolveIsRefused(t *testing.T) {
	// run finds a seed whose single client writes and then reads, and a
	// replica to pause from the start (where key-affinity sends the write)
	// for 300ms: the write's deadline (50ms) and its resolution elsewhere
	// both pass while it waits there.
	run := func(protocol string) checker.Verdict {
		for seed := uint64(1); seed <= 50; seed++ {
			c := sim.DefaultConfig(protocol, seed)
			require.NoError(t, c.ApplyFaults("none,clients=1,keys=1,ops=2,mix=50/50/0,retry=off,hedge=off,deadline=50ms,resolve=on,balancer=key-affinity"))
			for n := range c.Replicas {
				sc := sim.Scenario{Config: c,
					Schedule: []sim.Fault{{Kind: sim.Pause, Nodes: []int{n}, StartNs: 0, EndNs: 300_000_000}},
					Ops:      [][]int{{0, 1}},
					Pins:     [][]sim.Pin{{{}, {NotBeforeNs: 400_000_000}}}, // the read waits for the resume
				}
				res, err := sim.RunScenario(sc, sim.Options{})
				require.NoError(t, err)
				if len(res.Ops) != 2 || res.Ops[0].Input.Kind != model.Write || res.Ops[1].Input.Kind != model.Read ||
					!resolvedNotApplied(res) {
					continue
				}
				chk, err := checker.Check(context.Background(), res.History, 0)
				require.NoError(t, err)
				return chk.Verdict
			}
		}
		t.Fatalf("%s: no seed wrote, resolved the write as not applied, then read", protocol)
		return ""
	}
	require.Equal(t, checker.Linearizable, run("paxos"), "paxos let a write resolved as not applied take effect")
	require.Equal(t, checker.Illegal, run("paxos/cassandra-12126"), "without the tombstone the late proposal must show")
}

func resolvedNotApplied(res *sim.Result) bool {
	for _, e := range res.History {
		if e.Type == history.Fail && e.Error == "resolved-not-applied" {
			return true
		}
	}
	return false
}
