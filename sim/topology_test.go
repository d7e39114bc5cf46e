package sim

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	_ "github.com/casimlab/casim/protocol/all"
)

func TestGeo4PlacesTwelveReplicasOnePerZone(t *testing.T) {
	topo, err := LoadTopology("geo4")
	require.NoError(t, err)
	require.Equal(t, 12, topo.Replicas())
	p := topo.place(8)
	for i := range 12 {
		require.Equal(t, i/3, p.region[i], "replica %d", i)
		require.Equal(t, i%3, p.zone[i], "replica %d", i)
	}
	// Clients go round the regions, then round the zones.
	require.Equal(t, []int{0, 1, 2, 3, 0, 1, 2, 3}, p.region[12:])
	require.Equal(t, []int{0, 0, 0, 0, 1, 1, 1, 1}, p.zone[12:])
	lats, idx := topo.links(p)
	E := len(p.region)
	require.Equal(t, topo.SameZone, lats[idx[0*E+12]], "replica 0 and client 0 share a zone")
	require.Equal(t, topo.CrossZone, lats[idx[0*E+1]])
	require.Equal(t, link(75*ms), lats[idx[0*E+6]], "us-east-1 to us-west-2")
	require.Equal(t, link(135*ms), lats[idx[9*E+6]], "eu-west-1 to us-west-2")
	// A coordinator in us-east-1 reaches its majority (7 of 12) in
	// us-west-2 or eu-west-1: about 75ms.
	rt := topo.quorumRoundTripNs(p, 12)
	require.Equal(t, 2*link(75*ms).typicalNs(), rt[0])
}

// Bad topology files are one line naming what is wrong, before anything
// runs.
func TestBadTopologyFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		edit func(*Topology)
		text string // instead of an edit: the file's text
		want string
	}{
		{name: "rf above zones", edit: func(t *Topology) { t.Regions[1].RF = 4 }, want: "us-east-2 has replication factor 4 but 3 zones"},
		{name: "unknown region", edit: func(t *Topology) { t.WAN[0].From = "mars-1" }, want: `unknown region "mars-1"`},
		{name: "missing pair", edit: func(t *Topology) { t.WAN = t.WAN[:5] }, want: "no wan latency between us-west-2 and eu-west-1"},
		{name: "syntax", text: "{\n  \"regions\": oops\n}", want: "line 2"},
		{name: "unknown field", text: "{\n  \"regoins\": []\n}", want: `unknown field "regoins"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if tc.edit != nil {
				topo, err := LoadTopology("geo4")
				require.NoError(t, err)
				tc.edit(topo)
				require.NoError(t, topo.writeJSON(&b))
			} else {
				b.WriteString(tc.text)
			}
			f := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			require.NoError(t, os.WriteFile(f, b.Bytes(), 0o644))
			_, err := LoadTopology(f)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
			require.NotContains(t, err.Error(), "\n")
		})
	}
	_, err := LoadTopology("nowhere")
	require.ErrorContains(t, err, "is not lan, az3, geo4, nor a readable file")
}

// geo4Scenario is a faultless geo4 run of paxos with the given schedule.
func geo4Scenario(t *testing.T, sched []Fault) Scenario {
	c := DefaultConfig("paxos", 1)
	topo, err := LoadTopology("geo4")
	require.NoError(t, err)
	c.SetTopology(topo)
	require.NoError(t, c.ApplyFaults("none,clients=8,ops=6"))
	return Scenario{Version: ScenarioVersion, Config: c, Schedule: sched}
}

// Each zone and region fault does what it says: no message crosses a cut
// link while the fault lasts, the other direction of a one-way cut still
// carries messages, and a degraded WAN link is slower; and each survives a
// scenario file round trip.
func TestTopologyFaultEffects(t *testing.T) {
	const startNs, endNs = 100 * ms, 1500 * ms
	p := func() placement { topo, _ := LoadTopology("geo4"); return topo.place(8) }()
	inRegion := func(e int, regs ...int) bool {
		for _, g := range regs {
			if p.region[e] == g {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		fault Fault
		// cut says whether the fault cuts from → to.
		cut func(from, to int) bool
	}{
		{Fault{Kind: ZoneOutage, Regions: []int{1}, Zones: []int{2}},
			func(a, b int) bool { return a == 5 || b == 5 }}, // us-east-2's third zone holds replica 5
		{Fault{Kind: RegionOutage, Regions: []int{3}},
			func(a, b int) bool { return (a >= 9 && a < 12) || (b >= 9 && b < 12) }},
		{Fault{Kind: RegionPartition, Regions: []int{0, 1}, PeerRegions: []int{2, 3}},
			func(a, b int) bool {
				return (inRegion(a, 0, 1) && inRegion(b, 2, 3)) || (inRegion(a, 2, 3) && inRegion(b, 0, 1))
			}},
		{Fault{Kind: RegionPartition, Regions: []int{0}, PeerRegions: []int{3}, OneWay: true},
			func(a, b int) bool { return inRegion(a, 0) && inRegion(b, 3) }},
	} {
		t.Run(string(tc.fault.Kind), func(t *testing.T) {
			f := tc.fault
			f.StartNs, f.EndNs = startNs, endNs
			sc := roundTrip(t, geo4Scenario(t, []Fault{f}))
			crossed, kept, reverse := 0, 0, 0
			res, err := RunScenario(sc, Options{Observe: func(e TraceEvent) {
				if e.Kind != "deliver" || e.AtNs <= startNs || e.AtNs >= endNs || e.From < 0 || e.To < 0 || e.From == e.To {
					return
				}
				switch {
				case tc.cut(e.From, e.To):
					crossed++
				case f.OneWay && tc.cut(e.To, e.From):
					reverse++
				default:
					kept++
				}
			}})
			require.NoError(t, err)
			require.Zero(t, crossed, "messages crossed the cut")
			require.Positive(t, kept, "the rest of the network carried nothing: the test saw no traffic")
			if f.OneWay {
				require.Positive(t, reverse, "a one-way cut stopped the other direction too")
			}
			require.Empty(t, res.Stuck)
		})
	}
	t.Run("wan-slow", func(t *testing.T) {
		maxDelay := func(sched []Fault) int64 {
			var worst int64
			sent := map[string]int64{}
			_, err := RunScenario(roundTrip(t, geo4Scenario(t, sched)), Options{Observe: func(e TraceEvent) {
				if e.From < 0 || e.To < 0 || !inRegion(e.From, 0) || !inRegion(e.To, 1) || e.AtNs <= startNs || e.AtNs >= endNs {
					return
				}
				k := e.Msg + e.Detail
				switch e.Kind {
				case "send":
					sent[k] = e.AtNs
				case "deliver":
					if s, ok := sent[k]; ok {
						worst = max(worst, e.AtNs-s)
					}
				}
			}})
			require.NoError(t, err)
			return worst
		}
		normal := maxDelay([]Fault{})
		slow := maxDelay([]Fault{{Kind: WANSlow, StartNs: startNs, EndNs: endNs, Regions: []int{0}, PeerRegions: []int{1}, Factor: 10}})
		require.Positive(t, normal)
		require.Greater(t, slow, 5*normal, "us-east-1 to us-east-2 at ×10")
	})
}

// roundTrip writes sc as a scenario file and reads it back, checking
// nothing was lost.
func roundTrip(t *testing.T, sc Scenario) Scenario {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, sc.WriteJSON(&b))
	back, err := ReadScenario(&b)
	require.NoError(t, err)
	require.Equal(t, sc.Schedule, back.Schedule)
	require.Equal(t, sc.Config.Topology, back.Config.Topology)
	return back
}

// --faults draws zone and region faults only with a topology, and the lan
// schedule is the same with or without their settings.
func TestTopologyFaultsDrawn(t *testing.T) {
	c := DefaultConfig("paxos", 7)
	lan := drawSchedule(c)
	require.NoError(t, c.ApplyFaults("zone-outages=3,region-outages=2,region-partitions=3,wan-slow=2"))
	require.Equal(t, lan, drawSchedule(c), "no topology: nothing more is drawn")
	topo, _ := LoadTopology("geo4")
	c.SetTopology(topo)
	kinds := map[FaultKind]bool{}
	for seed := uint64(1); seed <= 30; seed++ {
		c.Seed = seed
		for _, f := range drawSchedule(c) {
			kinds[f.Kind] = true
			require.NoError(t, validateSchedule([]Fault{f}, c))
		}
	}
	for _, k := range topologyKinds {
		require.True(t, kinds[k], "%s never drawn", k)
	}
}

// --swarm draws zone and region faults under a topology, and leaves a
// flat cluster's swarm configuration as it was.
func TestSwarmDrawsTopologyFaults(t *testing.T) {
	kinds := map[FaultKind]bool{}
	for seed := uint64(1); seed <= 40; seed++ {
		lan := DefaultConfig("paxos", seed)
		lan.Swarm(true)
		c := DefaultConfig("paxos", seed)
		topo, _ := LoadTopology("geo4")
		c.SetTopology(topo)
		c.Swarm(true)
		require.Equal(t, lan.Network, c.Network)
		require.Zero(t, lan.Faults.ZoneOutages+lan.Faults.RegionOutages+lan.Faults.RegionPartitions+lan.Faults.WANSlowLinks)
		for _, f := range drawSchedule(c) {
			kinds[f.Kind] = true
		}
	}
	for _, k := range topologyKinds {
		require.True(t, kinds[k], "%s never drawn by --swarm", k)
	}
}
