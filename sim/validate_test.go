package sim_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

// Bad settings are refused with one line before anything is drawn or
// allocated, whether they come from --faults or a scenario file. Each case
// names what the message must say.
func TestBadSettingsAreRefusedInOneLine(t *testing.T) {
	cases := []struct {
		name, protocol, faults, scenario string
		want                             []string
	}{
		{name: "a billion ops", protocol: "paxos", faults: "ops=1000000000",
			want: []string{"ops per client must be in 0..10000000, got 1000000000"}},
		{name: "ops times clients", protocol: "paxos", faults: "clients=1000,ops=100000",
			want: []string{"clients × ops per client must be at most 10000000, got 1000 × 100000"}},
		{name: "a billion keys in a file", scenario: `{"casim_scenario": 1, "protocol": "paxos", "keys": 1000000000}`,
			want: []string{"keys must be in 1..1000000, got 1000000000"}},
		{name: "keys times clients", protocol: "paxos", faults: "clients=1000,keys=100000",
			want: []string{"clients × keys must be at most 10000000, got 1000 × 100000"}},
		{name: "latency min above max, exponential", protocol: "paxos", faults: "latency-min=10ms,latency-max=1ms",
			want: []string{"exponential latency needs max >= min, got min 10ms, max 1ms"}},
		{name: "latency min above max, pareto", protocol: "paxos", faults: "latency=pareto,latency-min=10ms,latency-max=1ms",
			want: []string{"pareto latency needs max >= min, got min 10ms, max 1ms"}},
		{name: "a billion crashes", protocol: "paxos", faults: "crashes=1000000000",
			want: []string{"crashes must be at most 10000, got 1000000000"}},
		{name: "a billion slow nodes", protocol: "paxos", faults: "slow=1000000000",
			want: []string{"slow nodes must be at most 10000, got 1000000000"}},
		{name: "a billion zone outages", protocol: "paxos", faults: "zone-outages=1000000000",
			want: []string{"zone outages must be at most 10000, got 1000000000"}},
		{name: "a billion degraded WAN links", protocol: "paxos", faults: "wan-slow=1000000000",
			want: []string{"wan-slow links must be at most 10000, got 1000000000"}},
		{name: "many partitions in a file", scenario: `{"casim_scenario": 1, "protocol": "paxos", "faults": {"partitions": 20000}}`,
			want: []string{"partitions must be at most 10000, got 20000"}},
		{name: "a latency of 1000h", protocol: "paxos", faults: "latency-mean=1000h",
			want: []string{"latency (min 200µs, mean 1000h0m0s, max 0s) and service time (0s) make a round trip longer than 1m0s"}},
		{name: "a service time of an hour", protocol: "paxos", faults: "service=1h",
			want: []string{"and service time (1h0m0s) make a round trip longer than 1m0s"}},
		{name: "latency min above max, uniform named last", protocol: "paxos", faults: "latency-min=200ms,latency-max=10ms,latency=uniform",
			want: []string{"uniform latency needs max >= min, got min 200ms, max 10ms"}},
		{name: "latency min above max, uniform named first", protocol: "paxos", faults: "latency=uniform,latency-min=200ms,latency-max=10ms",
			want: []string{"uniform latency needs max >= min, got min 200ms, max 10ms"}},
		{name: "latency min above max, constant", protocol: "paxos", faults: "latency=constant,latency-min=10ms,latency-max=1ms",
			want: []string{"constant latency needs max >= min"}},
		{name: "cas only on abd", protocol: "abd", faults: "mix=0/0/1",
			want: []string{"mix 0/0/100 asks only for operations abd does not support (it supports read, write)"}},
		{name: "cas only on lww", protocol: "lww", faults: "mix=0/0/100",
			want: []string{"lww does not support"}},
		{name: "option of a protocol with none", scenario: `{"casim_scenario": 1, "protocol": "abd", "protocol_options": {"fast": "on"}}`,
			want: []string{`protocol abd has no option "fast": it takes no options`}},
		{name: "durations as Go durations", scenario: `{"casim_scenario": 1, "protocol": "paxos", "faults": {"down_min_ns": 200000000, "down_max_ns": 10000000}}`,
			want: []string{"down durations must satisfy 0 <= min <= max, got 200ms..10ms"}},
		{name: "drop ratio once", scenario: `{"casim_scenario": 1, "protocol": "paxos", "network": {"drop_ratio": 5}}`,
			want: []string{"drop ratio must be in [0, 1), got 5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			var err error
			if tc.scenario != "" {
				_, err = sim.ReadScenario(strings.NewReader(tc.scenario))
			} else {
				c := sim.DefaultConfig(tc.protocol, 1)
				require.NoError(t, c.ApplyFaults(tc.faults))
				_, err = sim.RunScenario(sim.NewScenario(c), sim.Options{})
			}
			require.Error(t, err)
			msg := err.Error()
			require.NotContains(t, msg, "\n", "one line")
			for _, w := range tc.want {
				require.Contains(t, msg, w)
			}
			require.Equal(t, 1, strings.Count(msg, strings.SplitN(tc.want[0], " ", 3)[0]+" "+strings.SplitN(tc.want[0], " ", 3)[1]),
				"each problem said once: %s", msg)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "refused before allocating the run")
		})
	}
}

// A mix that leaves some supported operation a share still runs: the
// default mix has cas, which abd gives to its reads and writes.
func TestDefaultMixRunsOnProtocolsWithoutCas(t *testing.T) {
	for _, p := range []string{"abd", "lww"} {
		c, err := sim.ProtocolDefault(p, 1)
		require.NoError(t, err)
		require.NoError(t, c.Validate())
	}
}

// max_ns caps every distribution, not only uniform.
func TestLatencyMaxCapsEveryDistribution(t *testing.T) {
	for _, d := range []string{"constant", "uniform", "exponential", "pareto", "lognormal"} {
		c := sim.DefaultConfig("paxos", 3)
		require.NoError(t, c.ApplyFaults("none,latency="+d+",latency-min=1ms,latency-mean=5ms,latency-max=2ms"))
		var maxNs int64
		sent := map[string]int64{}
		_, err := sim.Run(c, sim.Options{Observe: func(e sim.TraceEvent) {
			key := e.Msg + e.Detail
			switch e.Kind {
			case "send":
				sent[key] = e.AtNs
			case "deliver":
				if at, ok := sent[key]; ok && e.From != e.To {
					maxNs = max(maxNs, e.AtNs-at)
				}
			}
		}})
		require.NoError(t, err)
		require.Positive(t, maxNs, d)
		require.LessOrEqual(t, maxNs, int64(2_000_000), d)
	}
}

// latency=uniform with no maximum set gives itself a range around the
// mean, wherever it comes in the settings.
func TestUniformLatencyWithoutMaxGetsARange(t *testing.T) {
	for _, spec := range []string{"latency=uniform", "latency-min=1ms,latency=uniform", "latency=uniform,latency-min=1ms"} {
		c := sim.DefaultConfig("paxos", 1)
		if err := c.ApplyFaults(spec); err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		l := c.Network.Latency
		if l.MaxNs <= 0 {
			t.Fatalf("%s: no maximum: %+v", spec, l)
		}
	}
}

// A latency maximum that the spec does not set gives way to a minimum
// the spec sets beyond it (the mixture draws a maximum of a few ms; a
// liveness run at latency-min=300ms means 300ms); one set in the same
// spec is kept and refused when below the minimum.
func TestUnsetLatencyMaxGivesWayToASpecsMin(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		c, err := sim.ProfileConfig(sim.ProfileMixture, "paxos", seed)
		require.NoError(t, err)
		require.NoError(t, c.ApplyFaults("none,latency=constant,latency-min=300ms"))
		require.NoError(t, c.Validate(), "seed %d", seed)
		require.GreaterOrEqual(t, c.RoundTripNs(), int64(600_000_000), "seed %d", seed)
	}
	c := sim.DefaultConfig("paxos", 1)
	require.NoError(t, c.ApplyFaults("latency-max=2ms"))
	require.NoError(t, c.ApplyFaults("latency-min=10ms"))
	require.Zero(t, c.Network.Latency.MaxNs, "the earlier max gives way")
	c = sim.DefaultConfig("paxos", 1)
	require.NoError(t, c.ApplyFaults("latency=uniform,latency-min=10ms,latency-max=2ms"))
	require.Error(t, c.Validate(), "a max set in the same spec is kept")
}

// The mixture's client timeouts follow a --faults latency change: drawn
// in lan units, Derive scales them by the round trip.
func TestMixtureTimeoutsScaleWithLatency(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		lan, err := sim.ProfileConfig(sim.ProfileMixture, "paxos", seed)
		require.NoError(t, err)
		slow := lan
		require.NoError(t, slow.ApplyFaults("none,latency=constant,latency-min=300ms"))
		lan.Derive()
		slow.Derive()
		require.Greater(t, slow.Client.DeadlineNs, 100*lan.Client.DeadlineNs/2, "seed %d", seed)
		require.Greater(t, slow.Client.AttemptTimeoutNs, int64(600_000_000), "seed %d: an attempt outlasts a round trip", seed)
		// The durations the mixture draws without a lan default scale
		// too (issue 11: they stayed absolute, and a "late" corner's
		// short attempt under a WAN latency was one round trip long).
		for _, d := range []struct {
			name      string
			lan, slow int64
		}{
			{"hedge delay", lan.Client.HedgeDelayNs, slow.Client.HedgeDelayNs},
			{"think time", lan.Client.ThinkMaxNs, slow.Client.ThinkMaxNs},
			{"resolve grace", lan.Client.ResolveGraceNs, slow.Client.ResolveGraceNs},
			{"short deadline", lan.Workload.ShortDeadlineNs, slow.Workload.ShortDeadlineNs},
			{"short attempt", lan.Workload.ShortAttemptTimeoutNs, slow.Workload.ShortAttemptTimeoutNs},
		} {
			require.GreaterOrEqual(t, d.slow, 50*d.lan, "seed %d: %s %d on the lan, %d at 300ms one-way", seed, d.name, d.lan, d.slow)
		}
	}
	// On the network the mixture drew, they are what it drew (to the
	// nanosecond or two of the conversion to lan units and back).
	for seed := uint64(1); seed <= 20; seed++ {
		c, err := sim.ProfileConfig(sim.ProfileMixture, "paxos", seed)
		require.NoError(t, err)
		c.Derive()
		require.Positive(t, c.Client.HedgeDelayNs, "seed %d", seed)
		require.LessOrEqual(t, c.Client.HedgeDelayNs, int64(50_000_000), "seed %d: hedge delays are drawn up to 50ms", seed)
		require.LessOrEqual(t, c.Client.ThinkMaxNs, int64(20_000_000), "seed %d: think times are drawn up to 20ms", seed)
	}
}

// A topology keeps the replica count of its own: faults the profile aimed
// at replicas beyond it go (the mixture aims at one of its 5 replicas;
// az3 has 3), and the run is not refused.
func TestTopologyDropsAimsBeyondItsReplicas(t *testing.T) {
	c := sim.DefaultConfig("paxos", 1)
	require.NoError(t, c.ApplyFaults("replicas=5,crash-nodes=4,isolate-nodes=0+4"))
	topo, err := sim.LoadTopology("az3")
	require.NoError(t, err)
	c.SetTopology(topo)
	require.Nil(t, c.Faults.CrashNodes)
	require.Equal(t, []int{0}, c.Faults.IsolateNodes)
	require.NoError(t, c.Validate())
}
