package explore

import (
	"encoding/json"
	"fmt"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// Model is the part of a Config a scenario file keeps beside its
// choices: what the choices are taken in. The protocol, its options and
// the replica count are the scenario's own fields.
type Model struct {
	Workload         string `json:"workload"`
	Keys             int    `json:"keys"`
	Crashes          int    `json:"crashes"`
	Dups             int    `json:"dups"`
	Retries          int    `json:"retries"`
	Resolve          bool   `json:"resolve"`
	Delays           int    `json:"delays"`
	RoundTripNs      int64  `json:"round_trip_ns"`
	AttemptTimeoutNs int64  `json:"attempt_timeout_ns"`
	DeadlineNs       int64  `json:"deadline_ns"`
	ResolveGraceNs   int64  `json:"resolve_grace_ns"`
	ResolveTimeoutNs int64  `json:"resolve_timeout_ns"`
	MinLatencyNs     int64  `json:"min_latency_ns"`
	NoReplicaTimers  bool   `json:"no_replica_timers,omitempty"`
}

// Scenario is a counterexample as a scenario file: the protocol's default
// scenario with the model and the choices of path.
func Scenario(cfg Config, path []Choice) (sim.Scenario, error) {
	lines, err := Describe(cfg, path)
	if err != nil {
		return sim.Scenario{}, err
	}
	sc := sim.NewScenario(sim.DefaultConfig(cfg.Protocol.Name, 1))
	sc.Replicas, sc.Clients, sc.Keys = cfg.Replicas, len(cfg.Workload), cfg.Keys
	n := 0
	for _, w := range cfg.Workload {
		n = max(n, len(w))
	}
	sc.OpsPerClient = max(n, 1)
	sc.ProtocolOptions = cfg.Options
	sc.Schedule = []sim.Fault{}
	sc.Choices = lines
	sc.Explore, err = json.Marshal(Model{Workload: FormatWorkload(cfg.Workload), Keys: cfg.Keys, Crashes: cfg.Crashes,
		Dups: cfg.Dups, Retries: cfg.Retries, Resolve: cfg.Resolve, Delays: cfg.Delays, RoundTripNs: cfg.RoundTripNs,
		AttemptTimeoutNs: cfg.AttemptTimeoutNs, DeadlineNs: cfg.DeadlineNs, ResolveGraceNs: cfg.ResolveGraceNs,
		ResolveTimeoutNs: cfg.ResolveTimeoutNs, MinLatencyNs: cfg.MinLatencyNs,
		NoReplicaTimers: cfg.NoReplicaTimers})
	return sc, err
}

// FromScenario reads the model and choices of a scenario written by
// Scenario.
func FromScenario(sc sim.Scenario) (Config, []Choice, error) {
	p, err := protocol.Lookup(sc.Protocol)
	if err != nil {
		return Config{}, nil, err
	}
	if len(sc.Explore) == 0 {
		return Config{}, nil, fmt.Errorf("a scenario with choices needs its explore model")
	}
	var m Model
	if err := json.Unmarshal(sc.Explore, &m); err != nil {
		return Config{}, nil, fmt.Errorf("explore model: %v", err)
	}
	cfg := NewConfig(p, 1, 1)
	cfg.Options, cfg.Replicas, cfg.Keys = sc.ProtocolOptions, sc.Replicas, m.Keys
	if cfg.Workload, err = ParseWorkload(m.Workload); err != nil {
		return Config{}, nil, err
	}
	cfg.Crashes, cfg.Dups, cfg.Retries, cfg.Resolve, cfg.Delays = m.Crashes, m.Dups, m.Retries, m.Resolve, m.Delays
	cfg.RoundTripNs, cfg.AttemptTimeoutNs, cfg.DeadlineNs = m.RoundTripNs, m.AttemptTimeoutNs, m.DeadlineNs
	cfg.ResolveGraceNs, cfg.ResolveTimeoutNs, cfg.MinLatencyNs = m.ResolveGraceNs, m.ResolveTimeoutNs, m.MinLatencyNs
	cfg.NoReplicaTimers = m.NoReplicaTimers
	if err := cfg.Validate(); err != nil {
		return Config{}, nil, err
	}
	path := make([]Choice, len(sc.Choices))
	for i, s := range sc.Choices {
		if path[i], err = ParseChoice(s); err != nil {
			return Config{}, nil, fmt.Errorf("choices[%d]: %v", i, err)
		}
	}
	return cfg, path, nil
}
