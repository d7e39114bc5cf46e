package protocol

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casimlab/casim/model"
)

// Protocol is one entry of the registry: a correct protocol, or a variant
// of one with a single deliberate change.
type Protocol struct {
	// Name is "base" or "base/variant", e.g. "paxos/accept-any-ballot".
	Name string
	// Description is one line on what the protocol is, or what the variant
	// breaks.
	Description string
	// Ops lists the operations the protocol supports.
	Ops []model.Kind
	// Linearizable says whether the protocol is expected to pass under the
	// default fault settings. Variants are expected to be caught.
	Linearizable bool
	// Assumes names what linearizability depends on beyond the protocol,
	// e.g. "synchronized clocks"; empty if nothing.
	Assumes string
	// Options documents the protocol's settings; Config.Options may only
	// use these keys.
	Options []OptionDoc
	// (There is no per-entry scenario: every variant must be caught by the
	// plain default sweep, whose seeds draw the conditions it needs.)
	// Topology, if set, names the topology preset (casim's --topology)
	// the entry's default scenario runs under: for a variant whose bug
	// needs regions, e.g. LOCAL_SERIAL used from two of them.
	Topology string
	// Client adjusts the simulated client for this protocol.
	Client ClientOptions
	// Sync is the storage discipline the entry runs on. Every protocol
	// here requires SyncBatch: a handler's persists are durable before any
	// of its messages leave (Env.Persist). A variant that sets
	// SyncPeriodic runs on storage that acknowledges before fsync.
	Sync SyncMode
	// SweepMiss, for a variant the default sweep does not catch yet (in
	// fewer than MinCatches of CatchSeeds seeds), says so and names the
	// deterministic test that drives its interleaving instead. Tests and
	// CI hold such a variant to that test, not to the sweep.
	SweepMiss string
	// MaxContention, if set, is the protocol's stated liveness envelope:
	// how many operations in flight at once (clients × concurrency) it
	// keeps live on one key. The default sweep stays within it; past it
	// operations may starve. Zero: no bound stated.
	MaxContention int
	// New builds one replica.
	New Factory
}

// CatchSeeds is the default sweep every variant must be caught in: at
// least MinCatches of seeds 1..CatchSeeds fail (CI sweeps it; the test
// suite runs each variant until its first failure within it).
const (
	CatchSeeds = 1000
	MinCatches = 5
)

// ClientOptions are the client-library behaviours a protocol entry can
// change. The zero value is the production client.
type ClientOptions struct {
	// FreshTokenOnRetry makes every retry carry a new idempotency token, as
	// a client library that retries blindly does (the JAVA-819 shape).
	FreshTokenOnRetry bool
	// Resolve turns on, by default, the client's resolving read of
	// operations unanswered at their deadline. Only a protocol whose
	// "not applied" answer is final should set it.
	Resolve bool
	// ResolveExperiment allows resolving reads (resolve=on) for a protocol
	// whose "not applied" is not final, as a documented experiment (lww's
	// zombie writes). Without it, and without Resolve, a configuration
	// that turns resolving reads on is refused: the history would record
	// as "did not take effect" operations that can still take effect, and
	// the checker would report violations the protocol never promised to
	// avoid.
	ResolveExperiment bool
}

// ResolveAllowed reports whether clients may resolve timed-out operations
// against p (see ClientOptions).
func (p Protocol) ResolveAllowed() bool { return p.Client.Resolve || p.Client.ResolveExperiment }

// SyncMode is how a replica's storage acknowledges durable writes.
type SyncMode uint8

const (
	// SyncBatch: a handler's persists are durable before its messages
	// leave (Cassandra's commitlog_sync: batch, or group).
	SyncBatch SyncMode = iota
	// SyncPeriodic: persists are acknowledged at once and made durable by
	// a periodic flush; a crash loses the unflushed tail (Cassandra's
	// default commitlog_sync: periodic).
	SyncPeriodic
)

// Supports reports whether p supports operation k.
func (p Protocol) Supports(k model.Kind) bool { return slices.Contains(p.Ops, k) }

var registry = map[string]Protocol{}

// Register adds p to the registry. It is meant for init functions and
// panics on a duplicate or incomplete entry, a programming error.
func Register(p Protocol) {
	if p.Name == "" || p.New == nil || len(p.Ops) == 0 {
		panic(fmt.Sprintf("protocol.Register: incomplete entry %q", p.Name))
	}
	if _, dup := registry[p.Name]; dup {
		panic(fmt.Sprintf("protocol.Register: duplicate name %q", p.Name))
	}
	registry[p.Name] = p
}

// Lookup finds a protocol by name.
func Lookup(name string) (Protocol, error) {
	p, ok := registry[name]
	if !ok {
		return Protocol{}, fmt.Errorf("unknown protocol %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return p, nil
}

// Names returns every registered name, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// All returns every registered protocol, sorted by name.
func All() []Protocol {
	var ps []Protocol
	for _, n := range Names() {
		ps = append(ps, registry[n])
	}
	return ps
}
