package casimtest

import (
	"cmp"
	"fmt"
	"slices"

	"pgregory.net/rapid"

	"github.com/casimlab/casim/sim"
)

const ms = 1_000_000

// Options bound the scenarios that Check and Scenario draw. The zero value
// is a small cluster that finds the registry's variants in a few dozen
// test cases and shrinks them in seconds.
type Options struct {
	// Replicas is the cluster size (default 3).
	Replicas int
	// MaxClients, MaxOpsPerClient and MaxKeys bound the workload
	// (defaults 4, 8 and 2). Each client runs a drawn subset of its
	// MaxOpsPerClient operations.
	MaxClients, MaxOpsPerClient, MaxKeys int
	// MaxFaults bounds the fault schedule (default 4). Faults start within
	// the first WindowNs of the run (default 200ms) and last up to
	// MaxFaultNs (default 150ms).
	MaxFaults            int
	WindowNs, MaxFaultNs int64
	// ClockSteps lets the schedule step clocks, which protocols that
	// assume synchronized clocks fail by design.
	ClockSteps bool
	// Base is the configuration the drawn sizes and faults go into (the
	// network, storage and client settings); default sim.ProtocolDefault.
	Base func(protocol string, seed uint64) sim.Config
	// AllowStuck: a run whose liveness phase fails (operations still
	// open after the faults healed) passes; by default it fails.
	AllowStuck bool
	// NoSweepRuns: draw only runs of the generator's own (sizes and
	// faults within the bounds above); by default half the cases are runs
	// of the entry's default sweep (see Scenario).
	NoSweepRuns bool
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Replicas, 3)
	def(&o.MaxClients, 4)
	def(&o.MaxOpsPerClient, 8)
	def(&o.MaxKeys, 2)
	if o.MaxFaults < 0 {
		o.MaxFaults = 0
	} else if o.MaxFaults == 0 {
		o.MaxFaults = 4
	}
	if o.WindowNs <= 0 {
		o.WindowNs = 200 * ms
	}
	if o.MaxFaultNs <= 0 {
		o.MaxFaultNs = 150 * ms
	}
	if o.Base == nil {
		o.Base = func(protocol string, seed uint64) sim.Config {
			// What casim sweep runs for the seed (the mixture); the
			// generator's own runs then draw their sizes and faults.
			c, err := sim.ProtocolDefault(protocol, seed)
			if err != nil {
				return sim.DefaultConfig(protocol, seed)
			}
			return c
		}
	}
	return o
}

// Scenario draws whole runs of protocol. Every part shrinks toward a
// smaller run: fewer clients and keys, each client's list of operations
// (indexes into its MaxOpsPerClient) toward empty, the fault schedule
// toward fewer, earlier, shorter faults. The seed (which decides each
// operation's type and key, and every latency) is drawn from a small range
// so that shrinking it is cheap to try.
//
// Half the cases (unless opts.NoSweepRuns) are instead a run of what
// `casim sweep` runs for that seed: the entry's default scenario (Base),
// its own sizes and settings — a variant's Scenario included — and the
// fault schedule drawn from the seed. The generator's own runs are small
// and shrink well, but miss what needs the sweep's size or its fault
// settings (eighty crashes on one key, a primary that crashes): without
// these cases, 1000 of them passed paxos/volatile-promise, which the
// sweep catches. rapid shrinks a sweep run only by its seed (and by
// trying the generator's run instead); the failure message says how to
// shrink it further with `casim shrink`.
func Scenario(protocol string, opts Options) *rapid.Generator[sim.Scenario] {
	o := opts.withDefaults()
	return rapid.Custom(func(t *rapid.T) sim.Scenario {
		cfg := o.Base(protocol, rapid.Uint64Range(1, 1<<16).Draw(t, "seed"))
		if !o.NoSweepRuns && rapid.Bool().Draw(t, "sweep run") {
			return sim.NewScenario(cfg)
		}
		cfg.Replicas = o.Replicas
		// The schedule is the generator's own: aiming the drawn one at
		// replicas (which may not exist at this size) means nothing.
		cfg.Faults.CrashNodes, cfg.Faults.IsolateNodes = nil, nil
		cfg.Clients = rapid.IntRange(1, o.MaxClients).Draw(t, "clients")
		cfg.Keys = rapid.IntRange(1, o.MaxKeys).Draw(t, "keys")
		cfg.OpsPerClient = o.MaxOpsPerClient
		cfg.Derive() // as a completed scenario has them
		sc := sim.Scenario{Version: sim.ScenarioVersion, Config: cfg}
		sc.Ops = make([][]int, cfg.Clients)
		for c := range sc.Ops {
			sc.Ops[c] = Ops(o.MaxOpsPerClient).Draw(t, fmt.Sprintf("ops of client %d", c))
		}
		sc.Schedule = Faults(o, cfg.Clients).Draw(t, "faults")
		return sc
	})
}

// Ops draws which of a client's n operations run: a sorted list of
// distinct indexes in [0, n), which rapid shrinks by deleting entries.
func Ops(n int) *rapid.Generator[[]int] {
	return rapid.Custom(func(t *rapid.T) []int {
		ops := rapid.SliceOfNDistinct(rapid.IntRange(0, n-1), 0, n, rapid.ID[int]).Draw(t, "indexes")
		slices.Sort(ops)
		return ops
	})
}

// Faults draws a fault schedule of up to opts.MaxFaults faults, sorted by
// start time (never nil: a nil schedule would be drawn from the seed).
func Faults(opts Options, clients int) *rapid.Generator[[]sim.Fault] {
	o := opts.withDefaults()
	return rapid.Custom(func(t *rapid.T) []sim.Fault {
		sched := rapid.SliceOfN(Fault(o, clients), 0, o.MaxFaults).Draw(t, "schedule")
		slices.SortStableFunc(sched, func(a, b sim.Fault) int { return cmp.Compare(a.StartNs, b.StartNs) })
		if sched == nil {
			sched = []sim.Fault{}
		}
		return sched
	})
}

// faultKinds are in the order rapid shrinks toward: the simplest first.
func faultKinds(o Options) []sim.FaultKind {
	kinds := []sim.FaultKind{sim.Crash, sim.Isolate, sim.Pause, sim.Slow, sim.Asymmetric, sim.ClientCut}
	if o.Replicas >= 3 {
		kinds = append(kinds, sim.Split, sim.Bridge)
	}
	if o.ClockSteps {
		kinds = append(kinds, sim.ClockStep)
	}
	return kinds
}

// Fault draws one fault on a cluster of opts.Replicas replicas and the
// given number of clients.
func Fault(opts Options, clients int) *rapid.Generator[sim.Fault] {
	o := opts.withDefaults()
	kinds := faultKinds(o)
	return rapid.Custom(func(t *rapid.T) sim.Fault {
		r := o.Replicas
		f := sim.Fault{Kind: rapid.SampledFrom(kinds).Draw(t, "kind")}
		f.StartNs = rapid.Int64Range(0, o.WindowNs).Draw(t, "start_ns")
		f.EndNs = f.StartNs + rapid.Int64Range(ms, o.MaxFaultNs).Draw(t, "duration_ns")
		node := rapid.IntRange(0, r-1).Draw(t, "node")
		others := func() []int {
			var p []int
			for i := range r {
				if i != node {
					p = append(p, i)
				}
			}
			return p
		}
		f.Nodes = []int{node}
		switch f.Kind {
		case sim.Crash:
			f.AfterSync = rapid.Bool().Draw(t, "after_sync")
		case sim.Slow:
			f.Factor = float64(rapid.IntRange(2, 10).Draw(t, "factor"))
		case sim.Asymmetric:
			f.Peers = others()
			if len(f.Peers) == 0 {
				f.Kind, f.Peers = sim.Isolate, nil
			}
		case sim.ClientCut:
			f.Nodes, f.Peers = nil, []int{node}
			f.Clients = []int{rapid.IntRange(0, clients-1).Draw(t, "client")}
		case sim.Bridge:
			// node and the next one are cut from each other; the rest
			// see both.
			f.Peers = []int{(node + 1) % r}
		case sim.ClockStep:
			f.StepNs = rapid.Int64Range(-50*ms, 50*ms).Draw(t, "step_ns")
			f.EndNs = f.StartNs
		}
		return f
	})
}
