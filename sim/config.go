// Package sim runs a protocol's replicas and clients in one thread, over a
// simulated network with faults, in virtual time, all driven by one seed.
// It records the clients' operations as a history for the checker and
// every event in a trace whose hash pins the run: the same configuration
// gives the same trace hash, byte for byte, on any machine.
package sim

import (
	"errors"
	"fmt"

	"github.com/casimlab/casim/protocol"
)

// Config describes one run completely: with the seed it determines the
// fault schedule, the workload and every random choice.
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

	Mix     Mix          `json:"mix"`
	Network Network      `json:"network"`
	Faults  Faults       `json:"faults"`
	Client  ClientConfig `json:"client"`
	Limits  Limits       `json:"limits"`
}

// Mix is the workload's share of each operation type. Shares of operations
// the protocol does not support are given to the others.
type Mix struct {
	ReadRatio  float64 `json:"read_ratio"`
	WriteRatio float64 `json:"write_ratio"`
	CasRatio   float64 `json:"cas_ratio"`
}

// Network is the message model. A message takes LatencyMinNs plus an
// exponentially distributed delay of mean LatencyMeanNs; it is lost with
// probability DropRatio and delivered twice (each copy with its own delay,
// so the copies also reorder) with probability DupRatio.
type Network struct {
	LatencyMinNs  int64   `json:"latency_min_ns"`
	LatencyMeanNs int64   `json:"latency_mean_ns"`
	DropRatio     float64 `json:"drop_ratio"`
	DupRatio      float64 `json:"dup_ratio"`
}

// Faults bounds the fault schedule drawn from the seed: up to Partitions
// partitions (isolating one replica, or splitting off a minority) and up to
// Crashes crash-restarts, each starting at a uniform time in [0, WindowNs)
// and lasting a uniform time in [MinNs, MaxNs].
type Faults struct {
	WindowNs       int64 `json:"window_ns"`
	Partitions     int   `json:"partitions"`
	PartitionMinNs int64 `json:"partition_min_ns"`
	PartitionMaxNs int64 `json:"partition_max_ns"`
	Crashes        int   `json:"crashes"`
	DownMinNs      int64 `json:"down_min_ns"`
	DownMaxNs      int64 `json:"down_max_ns"`
}

// ClientConfig is the client library's behaviour. A client sends an
// operation to a random replica; if no answer comes within
// AttemptTimeoutNs it retries at another replica after an exponential
// backoff with full jitter (BackoffBaseNs doubling up to BackoffMaxNs),
// keeping the idempotency token. An operation with no answer DeadlineNs
// after its invoke is recorded as indeterminate. Between operations a
// client waits a uniform time in [0, ThinkMaxNs].
//
// With Resolve, a write or cas still unanswered at its deadline is not
// left indeterminate: after ResolveGraceNs the client asks the cluster
// whether the operation's token was applied, for up to ResolveTimeoutNs,
// and records the answer (ok, compare failed, or did not take effect).
type ClientConfig struct {
	Resolve          bool  `json:"resolve"`
	ResolveGraceNs   int64 `json:"resolve_grace_ns"`
	ResolveTimeoutNs int64 `json:"resolve_timeout_ns"`
	AttemptTimeoutNs int64 `json:"attempt_timeout_ns"`
	DeadlineNs       int64 `json:"deadline_ns"`
	BackoffBaseNs    int64 `json:"backoff_base_ns"`
	BackoffMaxNs     int64 `json:"backoff_max_ns"`
	ThinkMaxNs       int64 `json:"think_max_ns"`
}

// Limits bound a run. A run that reaches one stops, and its open
// operations are recorded as indeterminate.
type Limits struct {
	MaxEvents int64 `json:"max_events"`
	MaxSimNs  int64 `json:"max_sim_ns"`
	MaxQueue  int   `json:"max_queue"`
}

const ms = 1_000_000

// DefaultConfig is the default scenario: a small cluster, few keys and
// several clients so that operations contend, a lossy network with
// partitions and a crash. It is sized so that the checker decides every
// seed quickly: few operations end indeterminate.
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
			LatencyMinNs:  200_000,
			LatencyMeanNs: 800_000,
			DropRatio:     0.02,
			DupRatio:      0.02,
		},
		Faults: Faults{
			WindowNs:       400 * ms,
			Partitions:     2,
			PartitionMinNs: 20 * ms,
			PartitionMaxNs: 150 * ms,
			Crashes:        1,
			DownMinNs:      20 * ms,
			DownMaxNs:      150 * ms,
		},
		Client: ClientConfig{
			Resolve:          resolveByDefault(protocol),
			ResolveGraceNs:   20 * ms,
			ResolveTimeoutNs: 300 * ms,
			AttemptTimeoutNs: 60 * ms,
			DeadlineNs:       400 * ms,
			BackoffBaseNs:    2 * ms,
			BackoffMaxNs:     40 * ms,
			ThinkMaxNs:       10 * ms,
		},
		Limits: Limits{
			MaxEvents: 5_000_000,
			MaxSimNs:  60_000 * ms,
			MaxQueue:  1 << 20,
		},
	}
}

// Validate reports the first setting that makes no sense.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Replicas >= 1 && c.Replicas <= 64, "replicas must be in 1..64, got %d", c.Replicas)
	check(c.Clients >= 1 && c.Clients <= 1024, "clients must be in 1..1024, got %d", c.Clients)
	check(c.OpsPerClient >= 0, "ops per client must be >= 0, got %d", c.OpsPerClient)
	check(c.Keys >= 1, "keys must be >= 1, got %d", c.Keys)
	check(c.Mix.ReadRatio >= 0 && c.Mix.WriteRatio >= 0 && c.Mix.CasRatio >= 0 &&
		c.Mix.ReadRatio+c.Mix.WriteRatio+c.Mix.CasRatio > 0, "mix ratios must be >= 0 with a positive sum")
	check(c.Network.LatencyMinNs >= 0 && c.Network.LatencyMeanNs >= 0, "latencies must be >= 0")
	check(c.Network.DropRatio >= 0 && c.Network.DropRatio < 1, "drop ratio must be in [0, 1), got %g", c.Network.DropRatio)
	check(c.Network.DupRatio >= 0 && c.Network.DupRatio <= 1, "dup ratio must be in [0, 1], got %g", c.Network.DupRatio)
	f := c.Faults
	check(f.Partitions >= 0 && f.Crashes >= 0, "fault counts must be >= 0")
	check(f.WindowNs >= 0, "fault window must be >= 0")
	check(f.PartitionMinNs >= 0 && f.PartitionMinNs <= f.PartitionMaxNs, "partition durations must satisfy 0 <= min <= max")
	check(f.DownMinNs >= 0 && f.DownMinNs <= f.DownMaxNs, "down durations must satisfy 0 <= min <= max")
	cl := c.Client
	check(cl.AttemptTimeoutNs > 0 && cl.DeadlineNs > 0, "client timeouts must be > 0")
	check(cl.BackoffBaseNs > 0 && cl.BackoffBaseNs <= cl.BackoffMaxNs, "client backoff must satisfy 0 < base <= max")
	check(cl.ResolveGraceNs >= 0 && cl.ResolveTimeoutNs >= 0, "resolve grace and timeout must be >= 0")
	check(cl.ThinkMaxNs >= 0, "client think time must be >= 0")
	check(c.Limits.MaxEvents > 0 && c.Limits.MaxSimNs > 0 && c.Limits.MaxQueue > 0, "limits must be > 0")
	return errors.Join(errs...)
}

// resolveByDefault: clients resolve timed-out operations where the
// protocol can answer finally.
func resolveByDefault(name string) bool {
	p, err := protocol.Lookup(name)
	return err == nil && p.Client.Resolve
}
