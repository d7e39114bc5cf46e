package explore

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// Config is one exploration: the model (protocol, cluster, clients and
// their operations, the fault budget, the timing) and the search's bounds.
type Config struct {
	Protocol protocol.Protocol
	Options  protocol.Options
	Replicas int
	// Workload lists each client's operations, in order. See
	// DefaultWorkload and ParseWorkload.
	Workload [][]OpSpec
	Keys     int

	// The fault budget: at most Crashes crash-restarts and Dups message
	// duplications on any path. Loss needs no budget: a message that is
	// never delivered is one the search leaves in flight.
	Crashes, Dups int

	// Retries is how many further attempts a client makes at other
	// coordinators when an attempt times out or is answered unknown.
	Retries int
	// Resolve: a write or cas unanswered at its deadline is resolved by
	// asking whether its token was applied (as sim's clients do).
	Resolve bool
	// Timing, in nanoseconds of the model's clock (see the package doc):
	// a replica's round trip hint, and the client's attempt timeout,
	// deadline (0: operations wait for ever), resolve grace and resolve
	// timeout.
	RoundTripNs, AttemptTimeoutNs, DeadlineNs, ResolveGraceNs, ResolveTimeoutNs int64
	// MinLatencyNs is the least a message between replicas takes: the
	// clock moves to its earliest arrival when it is delivered. Without it
	// a protocol that loops on messages alone (a coordinator that starts
	// over whenever a round ends one way) would loop in no time, past
	// every deadline, and the space would have no end.
	MinLatencyNs int64

	// NoReplicaTimers leaves replicas' timers unfired: the model is then
	// the executions in which no round times out and no backoff ends (a
	// restriction of the model, which the output names, not a
	// reduction). Round timers make even one operation's space large: each
	// timeout starts a new round beside the old one's messages.
	NoReplicaTimers bool

	// Search.
	DFS bool
	// Symmetry explores only one order of first invocation among clients
	// whose workloads are the same (see symmetry.go).
	Symmetry bool
	// NoSleepSets turns off the sleep sets (sleep.go) that the exact
	// breadth-first search uses when no step moves the clock.
	NoSleepSets bool
	// NoEager turns off the eager deliveries (eager.go) the search takes
	// where sleep sets apply and no crash or duplicate can come.
	NoEager bool
	// Delays, if not negative, bounds the search to executions that
	// deviate at most Delays times from the default schedule (delay.go):
	// a bug-finding mode for spaces too large to exhaust. Negative: the
	// exact search.
	Delays   int
	MaxDepth int
	// MaxStates bounds the unique states; MaxMemoryBytes the heap (the
	// search stops when the live heap passes nine tenths of it).
	MaxStates      int
	MaxMemoryBytes uint64
	Timeout        time.Duration
	// Progress, if set, gets one line per breadth-first level (its depth,
	// states so far, heap): a search of an hour says how far it is.
	Progress io.Writer

	// unreduced turns off what the protocols offer to speed the search
	// up or merge states (protocol.StateEncoder, Cloner, Staleness; the
	// explorer's own dropping of stale replies and never-fired timers):
	// the model as the reflection walk sees it, for the tests that check
	// those against it.
	unreduced bool
	// eagerRule, if set, replaces the replicas' protocol.Eager: for
	// TestEagerKeepsHistories, which checks that a wrong rule is caught.
	eagerRule func(protocol.Message) bool
}

// OpSpec is one planned operation: its kind and key index. Values are
// made as sim's clients make them: a write or cas writes a value unique to
// the client and operation; a cas expects the last value its client saw
// of the key (or else the last any client saw).
type OpSpec struct {
	Kind model.Kind
	Key  int
	// Coord is the first coordinator plus one (0: the default, replica
	// (client + operation index) mod replicas).
	Coord int
	// Given: Value (a write's or cas's new value) and Expected (a cas's)
	// are the workload's, not drawn. By default every write writes a new
	// value and a cas expects the value its client last saw, so a value
	// never comes back and a failed compare never holds later: the
	// mechanisms that defend against that (a failed compare's outcome
	// stored with its token) need values given, as "write=1;cas=1>2".
	Given           bool
	Value, Expected int64
}

// coordinator is the replica client c's j-th operation is first sent to.
func (o OpSpec) coordinator(c, j, replicas int) int {
	if o.Coord > 0 {
		return (o.Coord - 1) % replicas
	}
	return (c + j) % replicas
}

// Defaults for the timing, in the model's nanoseconds.
const (
	DefaultRoundTripNs      = 1_000_000
	DefaultAttemptTimeoutNs = 30_000_000
	DefaultDeadlineNs       = 30_000_000
	DefaultResolveGraceNs   = 10_000_000
	DefaultResolveTimeoutNs = 30_000_000
	DefaultMinLatencyNs     = 500_000
)

// NewConfig is the default exploration of p: 3 replicas, and 2 clients
// doing ops operations each on one key (DefaultWorkload).
func NewConfig(p protocol.Protocol, clients, ops int) Config {
	return Config{
		Protocol: p, Replicas: 3, Keys: 1,
		Workload:         DefaultWorkload(p, clients, ops, 1),
		Resolve:          p.Client.Resolve,
		RoundTripNs:      DefaultRoundTripNs,
		AttemptTimeoutNs: DefaultAttemptTimeoutNs,
		DeadlineNs:       DefaultDeadlineNs,
		ResolveGraceNs:   DefaultResolveGraceNs,
		ResolveTimeoutNs: DefaultResolveTimeoutNs,
		MinLatencyNs:     DefaultMinLatencyNs,
		MaxMemoryBytes:   2 << 30,
		Delays:           -1,
	}
}

// DefaultWorkload gives client c's j-th operation the kind
// [write, cas, read][(c+j) % 3] (among those p supports) and key
// (c+j) % keys: client 0 writes first, the others contend with it.
func DefaultWorkload(p protocol.Protocol, clients, ops, keys int) [][]OpSpec {
	var kinds []model.Kind
	for _, k := range []model.Kind{model.Write, model.Cas, model.Read} {
		if p.Supports(k) {
			kinds = append(kinds, k)
		}
	}
	w := make([][]OpSpec, clients)
	for c := range w {
		for j := range ops {
			w[c] = append(w[c], OpSpec{Kind: kinds[(c+j)%len(kinds)], Key: (c + j) % max(keys, 1)})
		}
	}
	return w
}

// ParseWorkload reads a workload: clients separated by ';', each a
// comma-separated list of operations, each read, write or cas, optionally
// with its values (write=V, cas=E>V: the value expected, then the new
// one; values are 1 or more), then @key (a key index, default 0) and /nR
// (the replica it is first sent to; default (client + index) mod
// replicas): "write,cas;cas@1;read/n0", "write=1,read;cas=1>2".
func ParseWorkload(s string) ([][]OpSpec, error) {
	var w [][]OpSpec
	for ci, cs := range strings.Split(s, ";") {
		var ops []OpSpec
		for _, os := range strings.Split(cs, ",") {
			os = strings.TrimSpace(os)
			if os == "" {
				continue
			}
			var spec OpSpec
			os, coord, hasCoord := strings.Cut(os, "/n")
			if hasCoord {
				if _, err := fmt.Sscanf(coord, "%d", &spec.Coord); err != nil || spec.Coord < 0 {
					return nil, fmt.Errorf("workload: client %d: bad coordinator %q", ci, coord)
				}
				spec.Coord++
			}
			name, key, hasKey := strings.Cut(os, "@")
			name, vals, hasVals := strings.Cut(name, "=")
			switch name {
			case "read", "r":
				spec.Kind = model.Read
			case "write", "w":
				spec.Kind = model.Write
			case "cas", "c":
				spec.Kind = model.Cas
			default:
				return nil, fmt.Errorf("workload: client %d: unknown operation %q (read, write or cas)", ci, name)
			}
			if hasKey {
				if _, err := fmt.Sscanf(key, "%d", &spec.Key); err != nil || spec.Key < 0 {
					return nil, fmt.Errorf("workload: client %d: bad key %q in %q", ci, key, os)
				}
			}
			if hasVals {
				if err := spec.parseValues(vals); err != nil {
					return nil, fmt.Errorf("workload: client %d: %q: %v", ci, os, err)
				}
			}
			ops = append(ops, spec)
		}
		w = append(w, ops)
	}
	return w, nil
}

// parseValues reads the values after '=': V for a write, E>V for a cas.
func (o *OpSpec) parseValues(s string) error {
	num := func(x string) (int64, error) {
		v, err := strconv.ParseInt(x, 10, 64)
		if err != nil || v < 1 {
			return 0, fmt.Errorf("%q is not a value >= 1", x)
		}
		return v, nil
	}
	var err error
	switch o.Kind {
	case model.Read:
		return fmt.Errorf("a read takes no value")
	case model.Write:
		o.Value, err = num(s)
	case model.Cas:
		e, v, ok := strings.Cut(s, ">")
		if !ok {
			return fmt.Errorf("a cas takes E>V (expected, new), got %q", s)
		}
		if o.Expected, err = num(e); err == nil {
			o.Value, err = num(v)
		}
	}
	o.Given = err == nil
	return err
}

// FormatWorkload is the inverse of ParseWorkload.
func FormatWorkload(w [][]OpSpec) string {
	var cs []string
	for _, ops := range w {
		var os []string
		for _, o := range ops {
			s := o.Kind.String()
			switch {
			case o.Given && o.Kind == model.Cas:
				s += fmt.Sprintf("=%d>%d", o.Expected, o.Value)
			case o.Given:
				s += fmt.Sprintf("=%d", o.Value)
			}
			if o.Key != 0 {
				s += fmt.Sprintf("@%d", o.Key)
			}
			if o.Coord > 0 {
				s += fmt.Sprintf("/n%d", o.Coord-1)
			}
			os = append(os, s)
		}
		cs = append(cs, strings.Join(os, ","))
	}
	return strings.Join(cs, ";")
}

// Validate checks c.
func (c Config) Validate() error {
	switch {
	case c.Protocol.New == nil:
		return fmt.Errorf("no protocol")
	case c.Replicas < 1 || c.Replicas > 64:
		return fmt.Errorf("replicas must be 1..64, got %d", c.Replicas)
	case len(c.Workload) < 1:
		return fmt.Errorf("at least one client is needed")
	case len(c.Workload) > 64:
		return fmt.Errorf("at most 64 clients, got %d", len(c.Workload))
	case c.Keys < 1:
		return fmt.Errorf("keys must be at least 1, got %d", c.Keys)
	case c.Crashes < 0 || c.Dups < 0 || c.Retries < 0:
		return fmt.Errorf("crashes, dups and retries must not be negative")
	case c.MaxDepth < 0 || c.MaxStates < 0 || c.Timeout < 0:
		return fmt.Errorf("max-depth, max-states and timeout must not be negative")
	case c.AttemptTimeoutNs <= 0 || c.DeadlineNs < 0 || c.ResolveGraceNs < 0 || c.ResolveTimeoutNs <= 0 || c.MinLatencyNs < 0:
		return fmt.Errorf("timeouts must be positive")
	}
	if c.Resolve && !c.Protocol.ResolveAllowed() {
		return fmt.Errorf("protocol %s does not allow resolving reads", c.Protocol.Name)
	}
	n := 0
	for ci, ops := range c.Workload {
		for _, o := range ops {
			if !c.Protocol.Supports(o.Kind) {
				return fmt.Errorf("workload: client %d: protocol %s does not support %s", ci, c.Protocol.Name, o.Kind)
			}
			if o.Coord > c.Replicas {
				return fmt.Errorf("workload: client %d: coordinator n%d out of range n0..n%d", ci, o.Coord-1, c.Replicas-1)
			}
			if o.Key >= c.Keys {
				return fmt.Errorf("workload: client %d: key %d out of range 0..%d", ci, o.Key, c.Keys-1)
			}
			n++
		}
	}
	if n > 64 {
		return fmt.Errorf("at most 64 operations in all, got %d", n)
	}
	return c.Options.Validate(c.Protocol)
}
