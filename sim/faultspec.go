package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultSpecHelp documents ApplyFaults' names for help texts.
const FaultSpecHelp = `comma-separated settings applied in order:
  none                       turn every fault off (then add some back)
  drop=R dup=R reorder=R     message loss, duplication, reordering ratios
  reorder-max=D              longest extra delay of a reordered message
  latency=DIST               constant|uniform|exponential|pareto|lognormal
  latency-min=D latency-mean=D latency-max=D latency-shape=F
                             the flat cluster's (refused under a topology)
  partitions=N               up to N partitions
  partition-kinds=K+K        isolate, split, asymmetric, bridge, client-cut
  partition-min=D partition-max=D
  crashes=N down-min=D down-max=D crash-after-sync=R
  crash-nodes=I+I isolate-nodes=I+I   aim crashes, isolations at these replicas
  pauses=N pause-min=D pause-max=D
  slow=N slow-factor=F slow-min=D slow-max=D
  zone-outages=N region-outages=N region-partitions=N wan-slow=N
                             zone and region faults (with --topology; they
                             last partition-min..max, wan-slow slows ×slow-factor)
  skew=D drift=PPM           clock offsets up to ±D, drift up to ±PPM
  clock-steps=N clock-step=D clock steps of up to ±D
  sync=D                     durable writes take up to D
  storage=batch|periodic     periodic: acknowledged before fsync, flushed every
  sync-period=D              D (default 10ms); a crash loses the unflushed tail
  client-crashes=N client-down=D  up to N client processes die mid-operation
  window=D                   faults start within the first D
client and workload settings take the same form:
  replicas=N                 replicas of the flat (lan) topology
  clients=N keys=N ops=N     clients, keys, operations per client
  mix=R/W/C                  read/write/cas shares, e.g. 40/20/40
  deadline=D attempt-timeout=D retry=on|off hedge=off|fixed|p99 hedge-delay=D
  resolve=on|off resolve-grace=D
  balancer=random|round-robin|least-outstanding|key-affinity
  concurrency=N
  values=N                   written values from 1..N, so values recur (0: unique)
  stale-cas=R                share of cas expecting a stale or never-written value
  short-deadlines=R short-deadline=D  share of operations before the heal with
                             deadline D (default 5ms), shorter than a round trip
  short-attempt-timeout=D    their attempt timeout (resolving reads included)
` + CapacityHelp + `
durations are Go durations (5ms, 1.5s); R is a ratio in [0, 1]`

// ApplyFaults changes settings of c by name, e.g.
// "none,partitions=2,skew=5ms" or "deadline=100ms,retry=off". See
// FaultSpecHelp.
//
// A latency maximum the spec does not set itself gives way to a minimum
// (or mean) the spec sets beyond it: the maximum came from the profile
// (the mixture draws one), and "latency=constant,latency-min=300ms" means
// 300ms, not a refusal because the drawn cap was 4ms. A maximum set in
// the same spec is kept, so that max below min is still refused.
//
// In the same way a drawn concurrency gives way to a client count the
// spec sets without a concurrency: the operations in flight stay at most
// what the profile drew (at least one per client), so "clients=16,keys=1"
// means sixteen clients with one operation each where the mixture drew
// four clients with two, not thirty-two in flight, past what porcupine
// checks on recurring values in its budget.
func (c *Config) ApplyFaults(spec string) error {
	inFlight := c.Clients * c.Client.Concurrency
	if err := c.applyFaultItems(spec); err != nil {
		return err
	}
	c.Network.Latency.yieldUnsetMax(spec)
	if specSets(spec, "clients") && !specSets(spec, "concurrency") && c.Clients > 0 {
		c.Client.Concurrency = max(1, min(c.Client.Concurrency, inFlight/c.Clients))
	}
	return nil
}

// specSets reports whether spec has a setting called name.
func specSets(spec, name string) bool {
	for _, item := range strings.Split(spec, ",") {
		if n, _, _ := strings.Cut(strings.TrimSpace(item), "="); n == name {
			return true
		}
	}
	return false
}

// yieldUnsetMax lifts a latency cap that spec does not set when spec sets
// the minimum, mean or distribution beyond it (see ApplyFaults).
func (l *Latency) yieldUnsetMax(spec string) {
	setsOther := specSets(spec, "latency") || specSets(spec, "latency-min") || specSets(spec, "latency-mean")
	if specSets(spec, "latency-max") || !setsOther || l.MaxNs == 0 {
		return
	}
	beyond := l.MinNs > l.MaxNs
	if l.Dist == Exponential || l.Dist == Pareto || l.Dist == LogNormal {
		beyond = beyond || l.MinNs+l.MeanNs > l.MaxNs
	}
	if !beyond {
		return
	}
	l.MaxNs = 0
	if l.Dist == Uniform {
		l.MaxNs = l.MinNs + 2*max(l.MeanNs, 1)
	}
}

func (c *Config) applyFaultItems(spec string) error {
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if item == "none" {
			c.Network.DropRatio, c.Network.DupRatio, c.Network.ReorderRatio = 0, 0, 0
			c.Faults.Partitions, c.Faults.Crashes, c.Faults.Pauses = 0, 0, 0
			c.Faults.SlowNodes, c.Faults.ClockSteps, c.Faults.ClientCrashes = 0, 0, 0
			c.Faults.ZoneOutages, c.Faults.RegionOutages, c.Faults.RegionPartitions, c.Faults.WANSlowLinks = 0, 0, 0, 0
			c.Clocks = Clocks{}
			continue
		}
		name, val, ok := strings.Cut(item, "=")
		if !ok {
			return fmt.Errorf("fault setting %q is not name=value", item)
		}
		if strings.HasPrefix(name, "latency") && c.Topology != nil {
			// The flat cluster's latency is not used under a topology,
			// and which link class the setting meant is not knowable:
			// refused, rather than silently ignored.
			return fmt.Errorf("fault setting %s: a topology gives each link class (same zone, cross zone, each region pair) its own latency; set them in a topology file (casim run --topology T --scenario-out F writes one to copy)", name)
		}
		if err := c.applyFault(name, val); err != nil {
			return fmt.Errorf("fault setting %s: %w", name, err)
		}
	}
	return nil
}

func (c *Config) applyFault(name, val string) error {
	ratio := func(p *float64) error {
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || x < 0 || x > 1 {
			return fmt.Errorf("%q is not a ratio in [0, 1]", val)
		}
		*p = x
		return nil
	}
	num := func(p *float64) error {
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || x < 0 {
			return fmt.Errorf("%q is not a number >= 0", val)
		}
		*p = x
		return nil
	}
	count := func(p *int) error {
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a count >= 0", val)
		}
		*p = n
		return nil
	}
	ns := func(p *int64) error {
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return fmt.Errorf("%q is not a duration >= 0 (e.g. 5ms)", val)
		}
		*p = d.Nanoseconds()
		return nil
	}
	f, n := &c.Faults, &c.Network
	switch name {
	case "drop":
		return ratio(&n.DropRatio)
	case "dup":
		return ratio(&n.DupRatio)
	case "reorder":
		return ratio(&n.ReorderRatio)
	case "reorder-max":
		return ns(&n.ReorderMaxNs)
	case "latency":
		d := Dist(val)
		if !slices.Contains([]Dist{Constant, Uniform, Exponential, Pareto, LogNormal}, d) {
			return fmt.Errorf("%q is not constant, uniform, exponential, pareto or lognormal", val)
		}
		n.Latency.Dist = d
		if (d == Pareto || d == LogNormal) && n.Latency.Shape == 0 {
			n.Latency.Shape = map[Dist]float64{Pareto: 1.5, LogNormal: 1}[d]
		}
		// A uniform range needs a maximum; give one only when none was set,
		// so that a maximum below the minimum given earlier in the same
		// settings is refused, not silently replaced.
		if d == Uniform && n.Latency.MaxNs == 0 {
			n.Latency.MaxNs = n.Latency.MinNs + 2*max(n.Latency.MeanNs, 1)
		}
		return nil
	case "latency-min":
		return ns(&n.Latency.MinNs)
	case "latency-mean":
		return ns(&n.Latency.MeanNs)
	case "latency-max":
		return ns(&n.Latency.MaxNs)
	case "latency-shape":
		return num(&n.Latency.Shape)
	case "partitions":
		return count(&f.Partitions)
	case "partition-kinds":
		var kinds []PartitionKind
		for _, k := range strings.Split(val, "+") {
			if !slices.Contains(AllPartitionKinds(), PartitionKind(k)) {
				return fmt.Errorf("%q is not isolate, split, asymmetric, bridge or client-cut", k)
			}
			kinds = append(kinds, PartitionKind(k))
		}
		f.PartitionKinds = kinds
		return nil
	case "partition-min":
		return ns(&f.PartitionMinNs)
	case "partition-max":
		return ns(&f.PartitionMaxNs)
	case "crashes":
		return count(&f.Crashes)
	case "down-min":
		return ns(&f.DownMinNs)
	case "down-max":
		return ns(&f.DownMaxNs)
	case "crash-after-sync":
		return ratio(&f.CrashAfterSyncRatio)
	case "crash-nodes":
		return nodeList(val, &f.CrashNodes)
	case "isolate-nodes":
		return nodeList(val, &f.IsolateNodes)
	case "pauses":
		return count(&f.Pauses)
	case "pause-min":
		return ns(&f.PauseMinNs)
	case "pause-max":
		return ns(&f.PauseMaxNs)
	case "slow":
		return count(&f.SlowNodes)
	case "slow-factor":
		return num(&f.SlowFactor)
	case "slow-min":
		return ns(&f.SlowMinNs)
	case "slow-max":
		return ns(&f.SlowMaxNs)
	case "zone-outages":
		return count(&f.ZoneOutages)
	case "region-outages":
		return count(&f.RegionOutages)
	case "region-partitions":
		return count(&f.RegionPartitions)
	case "wan-slow":
		return count(&f.WANSlowLinks)
	case "skew":
		return ns(&c.Clocks.MaxOffsetNs)
	case "drift":
		return num(&c.Clocks.MaxDriftPPM)
	case "clock-steps":
		return count(&f.ClockSteps)
	case "clock-step":
		return ns(&f.ClockStepMaxNs)
	case "sync":
		if err := ns(&c.Storage.SyncMaxNs); err != nil {
			return err
		}
		c.Storage.SyncMinNs = min(c.Storage.SyncMinNs, c.Storage.SyncMaxNs)
		return nil
	case "window":
		return ns(&f.WindowNs)
	case "storage":
		switch val {
		case "batch":
			c.Storage.Periodic = false
		case "periodic":
			c.Storage.Periodic = true
			if c.Storage.SyncPeriodNs == 0 {
				c.Storage.SyncPeriodNs = syncPeriodDefaultNs
			}
		default:
			return fmt.Errorf("%q is not batch or periodic", val)
		}
		return nil
	case "sync-period":
		return ns(&c.Storage.SyncPeriodNs)
	case "client-crashes":
		return count(&f.ClientCrashes)
	case "client-down":
		return ns(&f.ClientDownNs)
	}
	return c.applyClient(name, val, count, ns)
}

// applyClient handles the client and workload settings of the spec.
func (c *Config) applyClient(name, val string, count func(*int) error, ns func(*int64) error) error {
	onOff := func(p *bool) error {
		switch val {
		case "on":
			*p = true
		case "off":
			*p = false
		default:
			return fmt.Errorf("%q is not on or off", val)
		}
		return nil
	}
	cl := &c.Client
	switch name {
	case "replicas":
		return count(&c.Replicas)
	case "clients":
		return count(&c.Clients)
	case "keys":
		return count(&c.Keys)
	case "ops":
		return count(&c.OpsPerClient)
	case "mix":
		parts := strings.Split(val, "/")
		var r [3]float64
		for i := range r {
			if len(parts) != 3 {
				break
			}
			x, err := strconv.ParseFloat(parts[i], 64)
			if err != nil || x < 0 {
				return fmt.Errorf("%q is not R/W/C with numbers >= 0", val)
			}
			r[i] = x
		}
		sum := r[0] + r[1] + r[2]
		if len(parts) != 3 || sum <= 0 {
			return fmt.Errorf("%q is not R/W/C with a positive sum", val)
		}
		c.Mix = Mix{ReadRatio: r[0] / sum, WriteRatio: r[1] / sum, CasRatio: r[2] / sum}
		return nil
	case "deadline":
		return ns(&cl.DeadlineNs)
	case "attempt-timeout":
		return ns(&cl.AttemptTimeoutNs)
	case "retry":
		return onOff(&cl.Retry)
	case "hedge":
		h := HedgeMode(val)
		if !slices.Contains([]HedgeMode{HedgeOff, HedgeFixed, HedgeP99}, h) {
			return fmt.Errorf("%q is not off, fixed or p99", val)
		}
		cl.Hedge = h
		return nil
	case "hedge-delay":
		return ns(&cl.HedgeDelayNs)
	case "resolve":
		return onOff(&cl.Resolve)
	case "resolve-grace":
		return ns(&cl.ResolveGraceNs)
	case "balancer":
		b := Balancer(val)
		if !slices.Contains([]Balancer{Random, RoundRobin, LeastOutstanding, KeyAffinity}, b) {
			return fmt.Errorf("%q is not random, round-robin, least-outstanding or key-affinity", val)
		}
		cl.Balancer = b
		return nil
	case "concurrency":
		return count(&cl.Concurrency)
	case "values":
		return count(&c.Workload.ValueDomain)
	case "stale-cas", "short-deadlines":
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || x < 0 || x > 1 {
			return fmt.Errorf("%q is not a ratio in [0, 1]", val)
		}
		*map[string]*float64{"stale-cas": &c.Workload.StaleCasRatio,
			"short-deadlines": &c.Workload.ShortDeadlineRatio}[name] = x
		if name == "short-deadlines" && c.Workload.ShortDeadlineNs == 0 {
			c.Workload.ShortDeadlineNs = 5 * ms
		}
		return nil
	case "short-deadline":
		return ns(&c.Workload.ShortDeadlineNs)
	case "short-attempt-timeout":
		return ns(&c.Workload.ShortAttemptTimeoutNs)
	}
	return c.applyCapacity(name, val, count, ns)
}

// Swarm draws the whole fault configuration from the seed, as
// TigerBeetle's VOPR does: which kinds are on, their rates, the partition
// shapes, the latency distribution, and (unless the protocol assumes
// synchronized clocks) clock skew. Different seeds then explore different
// corners of the fault space, not only different schedules in one corner.
func (c *Config) Swarm(clocksMayDiffer bool) {
	r := derive(c.Seed, streamSwarm, 0)
	on := func() bool { return r.IntN(2) == 0 }
	uniform := func(hi float64) float64 { return r.Float64() * hi }
	n, f := &c.Network, &c.Faults
	dists := []Dist{Constant, Uniform, Exponential, Pareto, LogNormal}
	// Latencies stay within what the protocols' and clients' timeouts are
	// built for (a round trip well under 10ms): swarm explores faults, not
	// a network too slow for any timeout to be right.
	n.Latency = Latency{Dist: dists[r.IntN(len(dists))], MinNs: between(r, 50*us, 400*us), MeanNs: between(r, 200*us, 1500*us)}
	n.Latency.MaxNs = n.Latency.MinNs + 2*n.Latency.MeanNs
	if n.Latency.Dist == Pareto || n.Latency.Dist == LogNormal {
		n.Latency.MaxNs = n.Latency.MinNs + 10*n.Latency.MeanNs
	}
	n.Latency.Shape = map[Dist]float64{Pareto: 1.2 + uniform(1.5), LogNormal: 0.5 + uniform(1.5)}[n.Latency.Dist]
	n.DropRatio, n.DupRatio, n.ReorderRatio = 0, 0, 0
	if on() {
		n.DropRatio = uniform(0.1)
	}
	if on() {
		n.DupRatio = uniform(0.05)
	}
	if on() {
		n.ReorderRatio, n.ReorderMaxNs = uniform(0.1), between(r, ms, 20*ms)
	}
	c.Storage = Storage{}
	if on() {
		c.Storage.SyncMaxNs = between(r, 10*us, 2*ms)
		c.Storage.SyncMinNs = c.Storage.SyncMaxNs / 10
	}
	// Aims (crash_nodes, isolate_nodes) say where faults strike, not how
	// many: swarm keeps them.
	*f = Faults{CrashNodes: f.CrashNodes, IsolateNodes: f.IsolateNodes,
		WindowNs: between(r, 100*ms, 800*ms), PartitionKinds: AllPartitionKinds(),
		PartitionMinNs: 10 * ms, PartitionMaxNs: between(r, 20*ms, 300*ms),
		DownMinNs: 10 * ms, DownMaxNs: between(r, 20*ms, 300*ms), CrashAfterSyncRatio: uniform(1),
		PauseMinNs: ms, PauseMaxNs: between(r, 5*ms, 200*ms),
		SlowFactor: 2 + uniform(18), SlowMinNs: 10 * ms, SlowMaxNs: between(r, 20*ms, 400*ms)}
	if on() {
		f.Partitions = 1 + r.IntN(4)
		var kinds []PartitionKind
		for _, k := range AllPartitionKinds() {
			if on() {
				kinds = append(kinds, k)
			}
		}
		if len(kinds) > 0 {
			f.PartitionKinds = kinds
		}
	}
	if on() {
		f.Crashes = 1 + r.IntN(3)
	}
	if on() {
		f.Pauses = 1 + r.IntN(3)
	}
	if on() {
		f.SlowNodes = 1 + r.IntN(2)
	}
	c.Clocks = Clocks{}
	if clocksMayDiffer && on() {
		c.Clocks = Clocks{MaxOffsetNs: between(r, 0, 20*ms), MaxDriftPPM: uniform(200)}
		if on() {
			f.ClockSteps, f.ClockStepMaxNs = 1+r.IntN(3), between(r, ms, 50*ms)
		}
	}
	if c.Topology != nil {
		// Zone and region faults, drawn last so that a flat cluster's
		// swarm configuration is as it was.
		for _, n := range []*int{&f.ZoneOutages, &f.RegionOutages, &f.RegionPartitions, &f.WANSlowLinks} {
			if on() {
				*n = 1 + r.IntN(2)
			}
		}
	}
}

// nodeList reads replicas "0+2" (empty or "any": not aimed).
func nodeList(val string, p *[]int) error {
	if val == "" || val == "any" {
		*p = nil
		return nil
	}
	var nodes []int
	for _, part := range strings.Split(val, "+") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a list of replicas such as 0+2", val)
		}
		if !slices.Contains(nodes, n) {
			nodes = append(nodes, n)
		}
	}
	*p = nodes
	return nil
}
