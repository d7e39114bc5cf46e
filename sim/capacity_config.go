package sim

import (
	"fmt"
	"strconv"
)

// Capacity is the replicas' capacity and the clients' offered load
// (issue 12). Left zero, as it is by default, replicas have unlimited
// capacity and clients run closed loops, exactly as before: turning
// capacity on changes every trace (each message waits for a worker and
// takes a service time), and the default sweep hunts safety bugs, for
// which queueing adds run time and no new interleaving a slow node or a
// pause does not already give. Load experiments turn it on.
//
// With ServiceNs > 0 each replica serves the messages that reach it from
// one FIFO queue with Workers workers; a message occupies a worker for a
// time drawn from an exponential distribution with mean ServiceNs, times
// WriteCost if its handler made a durable write (a write costs more than
// a read of memory). What the handler sends leaves when its service ends
// (capacity.go: leaveLater), and is lost if the replica crashes first.
// A replica's own timers are not queued.
//
// With Shed, a client request that arrives at a replica whose queue holds
// QueueLimit messages or more, or that waited in the queue longer than
// QueueBudgetNs, is answered at once "overloaded" (protocol.Overloaded): a
// definite failure that did not take effect. Messages between replicas
// are never shed: they finish work already admitted.
//
// With LoadPerSec > 0 each client is an open loop: it invokes its
// operations at Poisson arrival times at that rate, whether or not the
// earlier ones have finished, each concurrent operation a process of its
// own. RampFactor > 1 raises the rate linearly over a client's operations
// to RampFactor times LoadPerSec at its last; during [SurgeAtNs,
// SurgeAtNs+SurgeForNs) the rate is multiplied by SurgeFactor. HotRatio
// is the share of operations that go to key k0.
type Capacity struct {
	ServiceNs     int64   `json:"service_ns,omitempty"`
	Workers       int     `json:"workers,omitempty"`
	WriteCost     float64 `json:"write_cost,omitempty"` // 0 in a scenario file: as a read
	Shed          bool    `json:"shed,omitempty"`
	QueueLimit    int     `json:"queue_limit,omitempty"`
	QueueBudgetNs int64   `json:"queue_budget_ns,omitempty"`
	// Queue is the order a replica serves what waits: "" or QueueFIFO,
	// arrival order; QueuePriority, messages between replicas (the
	// phases of operations already admitted) before new client requests.
	Queue string `json:"queue,omitempty"`

	LoadPerSec  float64 `json:"load_per_sec,omitempty"`
	RampFactor  float64 `json:"ramp_factor,omitempty"`
	SurgeFactor float64 `json:"surge_factor,omitempty"`
	SurgeAtNs   int64   `json:"surge_at_ns,omitempty"`
	SurgeForNs  int64   `json:"surge_for_ns,omitempty"`
	HotRatio    float64 `json:"hot_ratio,omitempty"`

	// RetryBudgetRatio, if > 0, holds a client's retries to this share of
	// its operations (plus a floor of ten), as gRPC's and Finagle's retry
	// budgets do: unbudgeted retries multiply load when it is highest.
	RetryBudgetRatio float64 `json:"retry_budget_ratio,omitempty"`
	// Limit, if "aimd" or "gradient", caps each open-loop client's
	// operations in flight with an adaptive limit (limit.go, after
	// Netflix's concurrency-limits). An arrival over the limit fails at
	// once, "limited", never sent.
	Limit string `json:"limit,omitempty"`
	// Degrade is what a read still unanswered at its deadline gets: ""
	// (off: it is indeterminate), "one" or "cache" (see degrade.go).
	Degrade string `json:"degrade,omitempty"`
}

// The queue disciplines (Capacity.Queue).
//
// Finding (issue 12): under FIFO, past the knee, a replica serves the
// phases of operations it admitted behind the new requests that keep
// arriving, so each of an operation's four round trips waits out a full
// queue (paxos at 480 ops/s offered: prepare to promise 24ms at the
// median where priority takes 7ms); operations outlive their 90ms attempt
// timeouts, coordinators stop working on them (the client no longer
// waits), and the replicas' time goes to work that answers nobody:
// goodput fell to 59.7 ops/s. Serving
// admitted work first keeps it at the capacity the knee shows (238 ops/s
// at 480 offered, 10 seeds; README, "Capacity"). FIFO stays the default:
// it is the simpler server, and the collapse is worth seeing.
const (
	QueueFIFO     = "fifo"
	QueuePriority = "priority"
)

// The defaults that service=D, shed=on and load=R fill in.
const (
	defaultWorkers     = 1
	defaultWriteCost   = 4
	defaultQueueLimit  = 32
	aimdInitialLimit   = 16
	minLoadPerSec      = 0.001 // slower is a closed loop in all but name
	maxArrivalSpanNs   = 1e15  // about 11.6 simulated days
	retryBudgetFloor   = 10
	maxOpenLoopSlots   = 1<<16 - 1
	defaultQueueBudget = 0 // derived: half the attempt timeout
)

// On says whether replicas have limited capacity.
func (c Capacity) On() bool { return c.ServiceNs > 0 }

// OpenLoop says whether clients invoke at a rate.
func (c Capacity) OpenLoop() bool { return c.LoadPerSec > 0 }

// CapacityHelp documents the capacity settings of --faults.
const CapacityHelp = `capacity and load settings (off by default):
  service=D|off workers=N write-cost=F   mean service time per message, workers per replica
  shed=on|off queue-limit=N queue-budget=D   answer "overloaded" past these
  queue=fifo|priority        serve in arrival order, or replicas' messages before new requests
  load=R ramp=F hot=R        open loop: R ops/s per client (0: closed loop)
  surge=F surge-at=D surge-for=D   multiply the rate by F for a while
  retry-budget=R limit=off|aimd|gradient   client retry budget, adaptive concurrency limit
  degrade=off|one|cache      a read unanswered at its deadline: from one replica, or the client's cache`

// applyCapacity handles the capacity settings of the spec.
func (c *Config) applyCapacity(name, val string, count func(*int) error, ns func(*int64) error) error {
	k := &c.Capacity
	positive := func(p *float64, what string) error {
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || !(x >= 0) || x > 1e9 {
			return fmt.Errorf("%q is not %s", val, what)
		}
		*p = x
		return nil
	}
	switch name {
	case "service":
		if val == "off" {
			k.ServiceNs = 0
			return nil
		}
		var d int64
		if err := ns(&d); err != nil || d == 0 {
			return fmt.Errorf("%q is not a duration > 0 (e.g. 1ms) or off", val)
		}
		k.ServiceNs = d
		if k.Workers == 0 {
			k.Workers = defaultWorkers
		}
		if k.WriteCost == 0 {
			k.WriteCost = defaultWriteCost
		}
		return nil
	case "workers":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a count >= 1", val)
		}
		k.Workers = n
		return nil
	case "write-cost":
		if err := positive(&k.WriteCost, "a factor >= 1"); err != nil || k.WriteCost < 1 {
			return fmt.Errorf("%q is not a factor >= 1", val)
		}
		return nil
	case "shed":
		switch val {
		case "on":
			k.Shed = true
			if k.QueueLimit == 0 {
				k.QueueLimit = defaultQueueLimit
			}
		case "off":
			k.Shed = false
		default:
			return fmt.Errorf("%q is not on or off", val)
		}
		return nil
	case "queue-limit":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a count >= 1", val)
		}
		k.QueueLimit = n
		return nil
	case "queue-budget":
		return ns(&k.QueueBudgetNs)
	case "queue":
		switch val {
		case QueueFIFO:
			k.Queue = ""
		case QueuePriority:
			k.Queue = val
		default:
			return fmt.Errorf("%q is not fifo or priority", val)
		}
		return nil
	case "load":
		return positive(&k.LoadPerSec, "a rate >= 0 in operations per second")
	case "ramp":
		if err := positive(&k.RampFactor, "a factor >= 1"); err != nil || k.RampFactor < 1 {
			return fmt.Errorf("%q is not a factor >= 1", val)
		}
		return nil
	case "surge":
		return positive(&k.SurgeFactor, "a factor >= 0")
	case "surge-at":
		return ns(&k.SurgeAtNs)
	case "surge-for":
		return ns(&k.SurgeForNs)
	case "hot":
		if err := positive(&k.HotRatio, "a ratio in [0, 1]"); err != nil || k.HotRatio > 1 {
			return fmt.Errorf("%q is not a ratio in [0, 1]", val)
		}
		return nil
	case "retry-budget":
		if err := positive(&k.RetryBudgetRatio, "a ratio in [0, 1]"); err != nil || k.RetryBudgetRatio > 1 {
			return fmt.Errorf("%q is not a ratio in [0, 1]", val)
		}
		return nil
	case "degrade":
		switch val {
		case "off":
			k.Degrade = DegradeOff
		case DegradeOne, DegradeCache:
			k.Degrade = val
		default:
			return fmt.Errorf("%q is not off, one or cache", val)
		}
		return nil
	case "limit":
		switch val {
		case "off":
			k.Limit = ""
		case LimitAIMD, LimitGradient:
			k.Limit = val
		default:
			return fmt.Errorf("%q is not off, aimd or gradient", val)
		}
		return nil
	}
	return fmt.Errorf("unknown setting (see --faults help)")
}

// validate checks the capacity settings (a scenario file can hold any).
func (k Capacity) validate(check func(bool, string, ...any)) {
	check(k.ServiceNs >= 0, "service time must be > 0, got %s", dur(k.ServiceNs))
	if k.ServiceNs > 0 {
		check(k.Workers >= 1 && k.Workers <= 1024, "workers must be in 1..1024, got %d", k.Workers)
		check(k.WriteCost == 0 || k.WriteCost >= 1, "write cost must be >= 1 (0: as a read), got %g", k.WriteCost)
	}
	check(!k.Shed || k.QueueLimit >= 1, "shedding needs a queue limit >= 1, got %d", k.QueueLimit)
	check(k.QueueBudgetNs >= 0, "queue budget must be >= 0")
	check(k.Queue == "" || k.Queue == QueueFIFO || k.Queue == QueuePriority, "queue must be fifo or priority, got %q", k.Queue)
	check(k.LoadPerSec == 0 || (k.LoadPerSec >= minLoadPerSec && k.LoadPerSec <= 1e9),
		"load must be 0 (closed loop) or in [%g, 1e9] operations per second, got %g", minLoadPerSec, k.LoadPerSec)
	check(k.RampFactor == 0 || k.RampFactor >= 1, "ramp must be >= 1, got %g", k.RampFactor)
	check(k.SurgeFactor >= 0 && k.SurgeFactor <= 1e6 && k.SurgeAtNs >= 0 && k.SurgeForNs >= 0, "surge settings must be >= 0 (factor at most 1e6)")
	check(k.SurgeForNs == 0 || k.SurgeFactor > 0, "a surge needs a factor > 0, got %g", k.SurgeFactor)
	check(k.RampFactor <= 1e6, "ramp must be at most 1e6, got %g", k.RampFactor)
	check(k.HotRatio >= 0 && k.HotRatio <= 1, "hot ratio must be in [0, 1], got %g", k.HotRatio)
	check(k.RetryBudgetRatio >= 0 && k.RetryBudgetRatio <= 1, "retry budget must be in [0, 1], got %g", k.RetryBudgetRatio)
	check(k.Limit == "" || k.Limit == LimitAIMD || k.Limit == LimitGradient, "unknown limit %q (off, aimd, gradient)", k.Limit)
	check(k.Degrade == DegradeOff || k.Degrade == DegradeOne || k.Degrade == DegradeCache,
		"unknown degrade mode %q (off, one, cache)", k.Degrade)
}

// roundTripNs is what service adds to a round trip from a coordinator to
// a quorum: a durable write at the replica and a read at the coordinator,
// each at its mean, without queueing. Protocols' round timeouts and the
// clients' derived timeouts start from it, as from the network's part:
// left out, every round of a durable protocol timed out under a 1ms
// service time and retransmissions kept the queues full.
func (k Capacity) roundTripNs() int64 {
	if !k.On() {
		return 0
	}
	return int64(float64(k.ServiceNs) * (1 + max(k.WriteCost, 1)))
}

// arrivalSpanNs is how long an open-loop client takes to invoke ops
// operations at the base rate (0 for a closed loop). Derive adds it to
// the lan bases of the liveness and run limits before scaling them.
func (k Capacity) arrivalSpanNs(ops int) int64 {
	if !k.OpenLoop() {
		return 0
	}
	return int64(min(float64(ops)/k.LoadPerSec*1e9, maxArrivalSpanNs))
}

// queueAllowanceNs is the queueing a shedding replica allows (its queue
// limit served at the mean cost of a message), added to the round trip
// the protocols start their round timeouts from, not to the clients'
// deadlines. Without it a full queue outlasted every round timeout, the
// protocols retransmitted, and their messages (never shed) kept the
// queues full: goodput fell to 5% at 6x capacity, shedding or not.
func (k Capacity) queueAllowanceNs() int64 {
	if !k.On() || !k.Shed {
		return 0
	}
	meanCost := (1 + max(k.WriteCost, 1)) / 2
	return int64(float64(k.QueueLimit) * float64(k.ServiceNs) * meanCost / float64(k.Workers))
}
