// Package sim runs a protocol's replicas and clients in one thread, over a
// simulated network with faults, in virtual time, all driven by one seed.
// It records the clients' operations as a history for the checker and
// every event in a trace whose hash pins the run: the same scenario gives
// the same trace hash, byte for byte, on any machine.
package sim

import (
	"github.com/casimlab/casim/protocol"
)

// Config describes one run: with the seed it determines the fault
// schedule, the workload and every random choice. Names carry their unit
// last: Ns for virtual nanoseconds, Ratio for probabilities, PPM for parts
// per million.
type Config struct {
	Protocol string `json:"protocol"`
	// ProtocolOptions are the protocol's own settings (casim protocols
	// lists them).
	ProtocolOptions protocol.Options `json:"protocol_options,omitempty"`
	Seed            uint64           `json:"seed"`

	Replicas     int `json:"replicas"`
	Clients      int `json:"clients"`
	OpsPerClient int `json:"ops_per_client"`
	Keys         int `json:"keys"`

	Mix      Mix          `json:"mix"`
	Workload Workload     `json:"workload,omitzero"`
	Network  Network      `json:"network"`
	Storage  Storage      `json:"storage"`
	Clocks   Clocks       `json:"clocks"`
	Faults   Faults       `json:"faults"`
	Client   ClientConfig `json:"client"`
	Limits   Limits       `json:"limits"`
	// Topology places replicas and clients in regions and zones, with a
	// latency per kind of link (topology.go); nil is the flat lan, whose
	// messages take Network.Latency.
	Topology *Topology `json:"topology,omitempty"`
	// Capacity is off (zero) by default: see Capacity.
	Capacity Capacity `json:"capacity,omitzero"`
}

// Mix is the workload's share of each operation type. Shares of operations
// the protocol does not support are given to the others.
type Mix struct {
	ReadRatio  float64 `json:"read_ratio"`
	WriteRatio float64 `json:"write_ratio"`
	CasRatio   float64 `json:"cas_ratio"`
}

// Workload is what the operations provoke beyond their mix: what the
// protocols' safety mechanisms defend against. The zero value is the
// classic workload: every write and cas writes a value never written
// before, a cas expects the value its client last saw, every operation
// has the client's deadline. (A hot key is Capacity.HotRatio.)
type Workload struct {
	// ValueDomain, if positive, draws written values from 1..ValueDomain,
	// so values recur (ABA) and writes repeat earlier values.
	ValueDomain int `json:"value_domain,omitempty"`
	// StaleCasRatio is the share of cas operations that expect a value
	// drawn at random (from the domain, or among the values written so far
	// and some never written) instead of the one last seen.
	StaleCasRatio float64 `json:"stale_cas_ratio,omitempty"`
	// ShortDeadlineRatio is the share of operations invoked before the
	// faults heal whose deadline is ShortDeadlineNs instead of the
	// client's (shorter than a round trip, so they end indeterminate or
	// resolved). The liveness phase keeps the client's deadline: an
	// operation that cannot complete in time is no liveness failure.
	ShortDeadlineRatio float64 `json:"short_deadline_ratio,omitempty"`
	ShortDeadlineNs    int64   `json:"short_deadline_ns,omitempty"`
	// ShortAttemptTimeoutNs, if set, is the attempt timeout of those
	// short-deadline operations, their resolving reads included: a
	// resolving read goes first to the coordinator that did not answer,
	// and moves on to another only when its attempt times out.
	ShortAttemptTimeoutNs int64 `json:"short_attempt_timeout_ns,omitempty"`
	// ShortDeadlineBaseNs and ShortAttemptTimeoutBaseNs, when > 0, are
	// lan values that the two above, left zero, are derived from, scaled
	// by the round trip (see Config.Derive): the mixture draws them so.
	ShortDeadlineBaseNs       int64 `json:"short_deadline_base_ns,omitempty"`
	ShortAttemptTimeoutBaseNs int64 `json:"short_attempt_timeout_base_ns,omitempty"`
}

// Network is the message model. Each message's delay is drawn from
// Latency; it is lost with DropRatio, delivered twice (each copy with its
// own delay) with DupRatio, and held back by an extra delay of up to
// ReorderMaxNs with ReorderRatio, so that it overtakes or is overtaken.
type Network struct {
	Latency      Latency `json:"latency"`
	DropRatio    float64 `json:"drop_ratio"`
	DupRatio     float64 `json:"dup_ratio"`
	ReorderRatio float64 `json:"reorder_ratio"`
	ReorderMaxNs int64   `json:"reorder_max_ns"`
}

// Storage is the disk model. A handler's durable writes take a sync delay
// drawn uniformly from [SyncMinNs, SyncMaxNs]; the messages and replies of
// that handler leave only once the sync is done (the order etcd raft's
// Ready asks for). A crash before then loses both. Zero delays make
// persists instant.
//
// With Periodic, storage acknowledges before fsync, as Cassandra's
// default commitlog_sync: periodic does: a handler's durable writes go to
// the page cache and its messages leave at once; every SyncPeriodNs the
// page cache is flushed. A crash loses the unflushed tail. No correct
// protocol here tolerates it (each states so in protocol.Protocol.Sync);
// paxos/periodic-sync is paxos run on it.
//
// A paused node completes no sync (of either kind) until it resumes: its
// disk writes are issued by the process that is paused.
type Storage struct {
	SyncMinNs    int64 `json:"sync_min_ns"`
	SyncMaxNs    int64 `json:"sync_max_ns"`
	Periodic     bool  `json:"periodic,omitempty"`
	SyncPeriodNs int64 `json:"sync_period_ns,omitempty"`
}

// syncPeriodDefaultNs is Cassandra's commitlog_sync_period default (10s)
// scaled to casim's runs, which last about a second.
const syncPeriodDefaultNs = 10 * ms

// Clocks sets every node's and client's clock: an offset drawn uniformly
// from [-MaxOffsetNs, MaxOffsetNs] and a drift rate from [-MaxDriftPPM,
// MaxDriftPPM]. Clock steps are faults (Faults.ClockSteps). Protocols and
// clients read only their own clock: tokens and ballots come from it.
type Clocks struct {
	MaxOffsetNs int64   `json:"max_offset_ns"`
	MaxDriftPPM float64 `json:"max_drift_ppm"`
}

// Faults bounds the fault schedule drawn from the seed. Each fault starts
// at a uniform time in [0, WindowNs). Up to Partitions network partitions
// (of the kinds listed in PartitionKinds), Crashes crash-restarts, Pauses
// stop-the-world pauses, SlowNodes gray failures (every message to or from
// the node takes SlowFactor times longer), and ClockSteps steps of a
// clock by up to ClockStepMaxNs either way. Durations are uniform in each
// kind's [min, max].
//
// CrashAfterSyncRatio is the share of crashes that strike just after the
// node's next sync completes: its writes are durable, but what it was
// about to send is lost (a crash "between persisted and replied").
type Faults struct {
	WindowNs int64 `json:"window_ns"`

	Partitions     int             `json:"partitions"`
	PartitionKinds []PartitionKind `json:"partition_kinds"`
	PartitionMinNs int64           `json:"partition_min_ns"`
	PartitionMaxNs int64           `json:"partition_max_ns"`

	Crashes             int     `json:"crashes"`
	DownMinNs           int64   `json:"down_min_ns"`
	DownMaxNs           int64   `json:"down_max_ns"`
	CrashAfterSyncRatio float64 `json:"crash_after_sync_ratio"`
	// CrashNodes, if set, aims the drawn crashes: each strikes one of
	// these replicas ("what if the primary dies" is crash_nodes [0]).
	CrashNodes []int `json:"crash_nodes,omitempty"`
	// IsolateNodes, if set, aims the drawn isolate partitions likewise.
	IsolateNodes []int `json:"isolate_nodes,omitempty"`

	Pauses     int   `json:"pauses"`
	PauseMinNs int64 `json:"pause_min_ns"`
	PauseMaxNs int64 `json:"pause_max_ns"`

	SlowNodes  int     `json:"slow_nodes"`
	SlowFactor float64 `json:"slow_factor"`
	SlowMinNs  int64   `json:"slow_min_ns"`
	SlowMaxNs  int64   `json:"slow_max_ns"`

	ClockSteps     int   `json:"clock_steps"`
	ClockStepMaxNs int64 `json:"clock_step_max_ns"`

	// With a topology: up to ZoneOutages zone outages, RegionOutages
	// region outages, RegionPartitions WAN cuts between sets of regions
	// (a third of them one-way) and WANSlowLinks degraded region pairs
	// (SlowFactor), each lasting [PartitionMinNs, PartitionMaxNs].
	ZoneOutages      int `json:"zone_outages,omitempty"`
	RegionOutages    int `json:"region_outages,omitempty"`
	RegionPartitions int `json:"region_partitions,omitempty"`
	WANSlowLinks     int `json:"wan_slow_links,omitempty"`
	// ClientCrashes is up to how many client processes die: every
	// operation the client has in flight ends indeterminate and is never
	// retried (its requests may still be in the network); ClientDownNs
	// later the client starts again as new processes, knowing nothing of
	// what it saw before, and runs the rest of its operations.
	ClientCrashes int   `json:"client_crashes,omitempty"`
	ClientDownNs  int64 `json:"client_down_ns,omitempty"`
}

// Balancer is how a client picks a coordinator.
type Balancer string

// The load balancers.
const (
	Random           Balancer = "random"
	RoundRobin       Balancer = "round-robin"
	LeastOutstanding Balancer = "least-outstanding"
	// KeyAffinity sends each key's operations to one coordinator (a hash
	// of the key), as a token-aware driver sends them to a replica that
	// owns the key; a retry goes elsewhere. It lets a protocol that keeps
	// per-key leadership (CASPaxos's one-round-trip option) keep it.
	KeyAffinity Balancer = "key-affinity"
)

// HedgeMode is when a client sends a second copy of a request.
type HedgeMode string

// The hedging modes.
const (
	HedgeOff   HedgeMode = "off"
	HedgeFixed HedgeMode = "fixed" // after HedgeDelayNs
	HedgeP99   HedgeMode = "p99"   // after the client's running p99 latency
)

// ClientConfig is the client library's behaviour, that of a production
// client by default. With Retry off, operations invoked before the faults
// heal get one attempt each; the liveness phase always retries.
//
// A client runs Concurrency operations at a time (each its own history
// process), sends each to a coordinator chosen by Balancer, and, if no
// answer comes within AttemptTimeoutNs, retries at another coordinator
// after an exponential backoff with full jitter (BackoffBaseNs doubling up
// to BackoffMaxNs), keeping the idempotency token. With hedging it also
// sends a second copy to another coordinator after a delay; the first
// answer wins. An operation with no answer DeadlineNs after its invoke is
// over: it is recorded as indeterminate, unless Resolve is on. Between
// operations a process waits a uniform time in [0, ThinkMaxNs].
//
// With Resolve, a write or cas still unanswered at its deadline is not
// left indeterminate: after ResolveGraceNs the client asks the cluster
// whether the operation's token was applied, for up to ResolveTimeoutNs,
// and records the answer (ok, compare failed, or did not take effect).
//
// The durations left zero (timeouts, backoffs, hedge delay, resolve grace
// and timeout) are derived from the network's round trip (Config.Derive):
// 60ms, 400ms and so on on the default lan, that many round trips on a
// slower network.
type ClientConfig struct {
	Concurrency      int       `json:"concurrency"`
	Balancer         Balancer  `json:"balancer"`
	Retry            bool      `json:"retry"`
	AttemptTimeoutNs int64     `json:"attempt_timeout_ns"`
	DeadlineNs       int64     `json:"deadline_ns"`
	BackoffBaseNs    int64     `json:"backoff_base_ns"`
	BackoffMaxNs     int64     `json:"backoff_max_ns"`
	Hedge            HedgeMode `json:"hedge"`
	HedgeDelayNs     int64     `json:"hedge_delay_ns"`
	ThinkMaxNs       int64     `json:"think_max_ns"`
	Resolve          bool      `json:"resolve"`
	ResolveGraceNs   int64     `json:"resolve_grace_ns"`
	ResolveTimeoutNs int64     `json:"resolve_timeout_ns"`
	// AttemptTimeoutBaseNs and DeadlineBaseNs, when > 0, replace the lan
	// defaults that an attempt timeout or deadline left zero is derived
	// from (see Derive): they are lan values, scaled by the round trip
	// like the defaults. The mixture draws its timeouts this way, so that
	// a --faults latency change moves them with the network.
	AttemptTimeoutBaseNs int64 `json:"attempt_timeout_base_ns,omitempty"`
	DeadlineBaseNs       int64 `json:"deadline_base_ns,omitempty"`
	// HedgeDelayBaseNs, ThinkMaxBaseNs and ResolveGraceBaseNs, when > 0,
	// are lan values that the hedge delay, the think time's maximum and
	// the resolve grace, left zero, are derived from in the same way.
	HedgeDelayBaseNs   int64 `json:"hedge_delay_base_ns,omitempty"`
	ThinkMaxBaseNs     int64 `json:"think_max_base_ns,omitempty"`
	ResolveGraceBaseNs int64 `json:"resolve_grace_base_ns,omitempty"`
}

// Limits bound a run. A run that reaches one stops; its open operations
// are recorded as indeterminate and its verdict is "stuck".
//
// LivenessNs bounds the liveness phase: once the last fault has ended,
// the network has healed and every node is up, operations must complete
// again. An operation invoked after that point that still ends
// indeterminate, or a run not finished LivenessNs after it, is stuck.
// LivenessNs and MaxSimNs left zero are derived like the client's
// timeouts: 5s and 60s on the lan, as many round trips elsewhere, so the
// liveness bound is equally strict at every latency.
type Limits struct {
	MaxEvents  int64 `json:"max_events"`
	MaxSimNs   int64 `json:"max_sim_ns"`
	MaxQueue   int   `json:"max_queue"`
	LivenessNs int64 `json:"liveness_ns"`
}

const (
	us = 1_000
	ms = 1_000_000
)

// DefaultConfig is the default scenario: a small cluster, few keys and
// several clients so that operations contend, and a moderate mix of every
// fault kind except clock skew (which breaks lww by design). It is sized
// so that the checker decides every seed quickly: few operations end
// indeterminate.
func DefaultConfig(protocol string, seed uint64) Config {
	return Config{
		Protocol:     protocol,
		Seed:         seed,
		Replicas:     3,
		Clients:      4,
		OpsPerClient: 25,
		Keys:         2,
		Mix:          Mix{ReadRatio: 0.4, WriteRatio: 0.2, CasRatio: 0.4},
		Network: Network{
			Latency:      Latency{Dist: Exponential, MinNs: 200 * us, MeanNs: 800 * us},
			DropRatio:    0.02,
			DupRatio:     0.02,
			ReorderRatio: 0.02,
			ReorderMaxNs: 5 * ms,
		},
		Storage: Storage{SyncMinNs: 20 * us, SyncMaxNs: 200 * us},
		Faults: Faults{
			WindowNs:            400 * ms,
			Partitions:          2,
			PartitionKinds:      AllPartitionKinds(),
			PartitionMinNs:      20 * ms,
			PartitionMaxNs:      150 * ms,
			Crashes:             1,
			DownMinNs:           20 * ms,
			DownMaxNs:           150 * ms,
			CrashAfterSyncRatio: 0.3,
			Pauses:              1,
			PauseMinNs:          5 * ms,
			PauseMaxNs:          80 * ms,
			SlowNodes:           1,
			SlowFactor:          5,
			SlowMinNs:           20 * ms,
			SlowMaxNs:           200 * ms,
		},
		Client: ClientConfig{
			Concurrency: 1,
			Balancer:    Random,
			Retry:       true,
			// Timeouts, backoffs and the hedge delay are derived from
			// the network's round trip (derive.go).
			Hedge:      HedgeP99,
			ThinkMaxNs: 10 * ms,
			Resolve:    resolveByDefault(protocol),
		},
		Limits: Limits{
			MaxEvents: 5_000_000,
			MaxQueue:  1 << 20,
			// MaxSimNs and LivenessNs are derived (derive.go).
		},
	}
}

// resolveByDefault: clients resolve timed-out operations where the
// protocol can answer finally.
func resolveByDefault(name string) bool {
	p, err := protocol.Lookup(name)
	return err == nil && p.Client.Resolve
}

// ProtocolDefault is the default sweep's configuration of a seed: the
// mixture (see Mixture).
func ProtocolDefault(name string, seed uint64) (Config, error) {
	return ProfileConfig(ProfileMixture, name, seed)
}
