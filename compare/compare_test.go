package compare

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	_ "github.com/casimlab/casim/protocol/all"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// Uncontended round trips between replicas, as the protocols define them:
// paxos prepare, read, propose, commit (4); CASPaxos prepare and accept
// (2); ABD query and store (2); lww one quorum round (1). One client and
// no faults, so every operation is uncontended and the mode is exact.
func TestCompareRoundTripsUncontended(t *testing.T) {
	configs, err := ParseContenders("paxos,paxos2,caspaxos,abd,lww", "", "", "")
	require.NoError(t, err)
	scs, err := Scenarios("", "none")
	require.NoError(t, err)
	c, err := New(1, 5, scs, configs, Sizes{Clients: 1})
	require.NoError(t, err)
	c.Workers = 2
	require.NoError(t, c.Run(context.Background(), nil))
	want := map[string]int{"paxos": 4, "caspaxos": 2, "abd": 2, "lww": 1}
	ops := map[string][]string{}
	for _, r := range c.Rows() {
		w := want[r.Protocol]
		if r.Protocol == "paxos2" {
			// Paxos v2: a read rides on the prepare; writes and cas
			// prepare, propose and commit.
			w = map[string]int{"read": 1, "write": 3, "cas": 3}[r.Op]
		}
		require.Equal(t, w, r.RoundTrips, "%s %s", r.Protocol, r.Op)
		require.Equal(t, 1.0, r.OKShare, "%s %s", r.Protocol, r.Op)
		ops[r.Protocol] = append(ops[r.Protocol], r.Op)
	}
	// A protocol without cas has no cas row.
	require.Equal(t, []string{"read", "write"}, ops["abd"])
	require.Equal(t, []string{"read", "write"}, ops["lww"])
	require.Equal(t, []string{"read", "write", "cas"}, ops["paxos"])
}

// CASPaxos with one-round-trip: a proposer that keeps a key skips the
// prepare, one round trip. casim's balancers move a client between
// coordinators, and a new proposer then finds the key promised to the old
// one (3 round trips), so the run pins the client to replica 0 by cutting
// it off from the others: the first attempts that reach replica 0 are the
// uncontended ones counted.
func TestCompareCASPaxosOneRoundTrip(t *testing.T) {
	for mode, want := range map[string]int{"off": 2, "on": 1} {
		var f sweep.ByOp
		for seed := uint64(1); seed <= 5; seed++ {
			cfg := sim.DefaultConfig("caspaxos", seed)
			require.NoError(t, cfg.ApplyFaults("none"))
			cfg.ProtocolOptions = protocol.Options{"one-round-trip": mode}
			cfg.Clients = 1
			sc := sim.NewScenario(cfg)
			sc.Schedule = []sim.Fault{{Kind: sim.ClientCut, StartNs: 0, EndNs: 30_000_000_000, Clients: []int{0}, Peers: []int{1, 2}}}
			res, err := sim.RunScenario(sc, sim.Options{})
			require.NoError(t, err)
			f.Add(res.Stats)
		}
		for _, o := range f.Final() {
			require.Equal(t, want, o.RoundTrips, "one-round-trip=%s %s: %v", mode, o.Op, o.Paths)
		}
	}
}

// With a topology, compare adds up each contender's latencies by the
// region its clients run in: every region of geo4, nearer regions faster.
func TestRegionFiguresUnderGeo4(t *testing.T) {
	topo, err := sim.LoadTopology("geo4")
	require.NoError(t, err)
	configs, err := ParseContenders("lww", "", "", "")
	require.NoError(t, err)
	scenarios, err := Scenarios("", "none")
	require.NoError(t, err)
	c, err := New(1, 2, scenarios, configs, Sizes{Clients: 8, Topology: topo})
	require.NoError(t, err)
	require.NoError(t, c.Run(context.Background(), func(int, int) {}))
	g := c.Groups[0]
	var names []string
	p50 := map[string]int64{}
	for _, r := range g.Regions {
		names = append(names, r.Region)
		p50[r.Region] = r.Latency[model.Read].Quantile(0.5)
	}
	require.Equal(t, []string{"eu-west-1", "us-east-1", "us-east-2", "us-west-2"}, names)
	// lww's read waits for a majority of 12: us-east-2 reaches it over
	// its 12ms and 50ms links, eu-west-1 needs its 77ms and 88ms ones.
	require.Less(t, p50["us-east-2"], p50["eu-west-1"])
	// The regions' operations and messages add up to the group's, and
	// an uncontended lww operation is one round trip from every region.
	for _, f := range g.Figures.Final() {
		kind, ok := model.ParseKind(f.Op)
		require.True(t, ok, f.Op)
		k := int(kind)
		ops, msgs := 0, 0.0
		for i := range g.Regions {
			r := &g.Regions[i]
			ops += r.Ops[k]
			msgs += r.MessagesPerOp(model.Kind(k)) * float64(r.Ops[k])
			if k != int(model.Cas) {
				require.Equal(t, 1, r.RoundTrips(model.Kind(k)), "%s %s", r.Region, model.Kind(k))
			}
		}
		require.Equal(t, f.Count, ops, f.Op)
		require.InDelta(t, f.MessagesPerOp*float64(f.Count), msgs, 0.5, f.Op)
	}
}
