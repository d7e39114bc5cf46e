package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
	"github.com/stretchr/testify/require"
)

// Uncontended round trips between replicas, as the protocols define them:
// paxos prepare, read, propose, commit (4); CASPaxos prepare and accept
// (2); ABD query and store (2); lww one quorum round (1). One client and
// no faults, so every operation is uncontended and the mode is exact.
func TestCompareRoundTripsUncontended(t *testing.T) {
	configs, err := parseCompareConfigs("paxos,paxos2,caspaxos,abd,lww", "", "", "")
	require.NoError(t, err)
	scs, err := compareScenarios("", "none")
	require.NoError(t, err)
	c := comparison{Start: 1, Seeds: 5, Scenarios: scs, sizes: compareSizes{clients: 1}, workers: 2}
	for _, cf := range configs {
		c.groups = append(c.groups, &compareGroup{scenario: scs[0], config: cf})
	}
	require.NoError(t, c.run(func(int, int) {}))
	want := map[string]int{"paxos": 4, "caspaxos": 2, "abd": 2, "lww": 1}
	ops := map[string][]string{}
	for _, r := range c.rows() {
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

func TestCompareTable(t *testing.T) {
	st, out, errOut := casim("compare", "--protocols", "paxos,lww", "--seeds", "3", "--faults", "none")
	require.Equal(t, exitOK, st, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2+3+2, out) // scenario, header, paxos ×3, lww ×2
	require.Contains(t, lines[0], "scenario faults: 3 seeds from 1, --faults none")
	for _, col := range []string{"protocol", "op", "p50", "p99", "p99.9", "msgs/op", "rt", "ok", "failed", "indet", "violations"} {
		require.Contains(t, lines[1], col)
	}
	require.Regexp(t, `^paxos +read .* 4 +100\.0% +0\.0% +0\.0% .* 0/3$`, lines[2])
	require.Regexp(t, `^lww +write .* 1 +100\.0%`, lines[6])
}

func TestCompareJSON(t *testing.T) {
	st, out, errOut := casim("compare", "--protocols", "caspaxos,caspaxos:one-round-trip=on,abd", "--seeds", "2",
		"--scenario-set", "none,lossy", "--json")
	require.Equal(t, exitOK, st, errOut)
	var doc struct {
		Seeds     int
		Scenarios []compareScenario
		Rows      []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Equal(t, 2, doc.Seeds)
	require.Len(t, doc.Scenarios, 2)
	require.Len(t, doc.Rows, 2*(3+3+2))
	for _, r := range doc.Rows {
		for _, f := range []string{"scenario", "protocol", "op", "ops", "p50_ns", "p99_ns", "p999_ns", "messages_per_op",
			"round_trips", "ok_share", "failed_share", "indeterminate_share", "seeds", "violations", "violating_seeds"} {
			require.Contains(t, r, f)
		}
	}
	require.Equal(t, "caspaxos:one-round-trip=on", doc.Rows[3]["protocol"])
	require.Equal(t, "lossy", doc.Rows[8]["scenario"])
}

func TestCompareCSV(t *testing.T) {
	st, out, errOut := casim("compare", "--protocols", "lww", "--hedge", "off,10ms", "--skews", "0,5ms", "--seeds", "2", "--csv")
	require.Equal(t, exitOK, st, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, compareCSVHeader, recs[0])
	require.Len(t, recs, 1+4*2) // 4 contenders × read, write
	require.Equal(t, []string{"default", "lww hedge=off skew=0", "read"}, recs[1][:3])
	require.Equal(t, "lww hedge=10ms skew=5ms", recs[7][1])
}

// Workers finish runs in any order; the figures must not depend on it.
func TestCompareIndependentOfWorkers(t *testing.T) {
	args := []string{"compare", "--protocols", "paxos,abd", "--seeds", "6", "--json"}
	_, one, _ := casim(append(args, "--workers", "1")...)
	_, three, _ := casim(append(args, "--workers", "3")...)
	require.Equal(t, one, three)
}

func TestCompareUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"compare", "--protocols", "nope"},
		{"compare", "--protocols", "abd", "--opt", "one-round-trip=on"},
		{"compare", "--protocols", "caspaxos:one-round-trip=maybe"},
		{"compare", "--hedge", "sometimes"},
		{"compare", "--skews", "-1ms"},
		{"compare", "--scenario-set", "gentle"},
		{"compare", "--faults", "drop=2"},
		{"compare", "--json", "--csv"},
	} {
		st, out, errOut := casim(args...)
		require.Equal(t, exitUsage, st, "%v", args)
		require.Empty(t, out, "%v", args)
		require.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %q", args, errOut)
	}
}
