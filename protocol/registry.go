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
	// CatchSeeds, for a variant, is how many seeds of its default
	// scenario (1..CatchSeeds) the test suite runs to catch it; zero means
	// DefaultCatchSeeds. Set it only for a variant whose anomaly the
	// default scenario makes rare, and say why where the variant is
	// registered.
	CatchSeeds int
	// Scenario, if set, adjusts the default scenario for this entry, in the
	// settings language of casim's --faults flag (e.g. "keys=1,retry=off"):
	// for a variant whose bug shows only under particular conditions. The
	// conditions are part of the variant's definition, printed with every
	// run, and apply to nothing else.
	Scenario string
	// Topology, if set, names the topology preset (casim's --topology)
	// the entry's default scenario runs under: for a variant whose bug
	// needs regions, e.g. LOCAL_SERIAL used from two of them.
	Topology string
	// Client adjusts the simulated client for this protocol.
	Client ClientOptions
	// New builds one replica.
	New Factory
}

// DefaultCatchSeeds is how many seeds of its default scenario the test
// suite (sim's TestRegistryExpectations) runs to catch a variant that does
// not set Protocol.CatchSeeds.
const DefaultCatchSeeds = 100

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
