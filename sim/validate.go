package sim

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// Validate reports every setting that makes no sense.
// Settings left zero that Derive fills are checked as derived.
func (c Config) Validate() error {
	// Derived timeouts scale with the round trip: bound it first, so that
	// an absurd latency or service time is named, not the overflowed
	// values derived from it.
	if rt := c.RoundTripNs(); rt < 0 || rt > MaxRoundTripNs {
		l := c.Network.Latency
		return fmt.Errorf("latency (min %s, mean %s, max %s) and service time (%s) make a round trip longer than %s: too long to derive timeouts from",
			dur(l.MinNs), dur(l.MeanNs), dur(l.MaxNs), dur(c.Capacity.ServiceNs), dur(MaxRoundTripNs))
	}
	c.Derive()
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	ratio := func(name string, x float64) { check(x >= 0 && x <= 1, "%s must be in [0, 1], got %g", name, x) }
	span := func(name string, lo, hi int64) {
		check(lo >= 0 && lo <= hi, "%s durations must satisfy 0 <= min <= max, got %s..%s", name, dur(lo), dur(hi))
	}
	check(c.Replicas >= 1 && c.Replicas <= 64, "replicas must be in 1..64, got %d", c.Replicas)
	if t := c.Topology; t != nil {
		if err := t.validate(); err != nil {
			check(false, "%v", err)
		} else {
			check(c.Replicas == t.Replicas(), "replicas must be %d, as the topology places them, got %d", t.Replicas(), c.Replicas)
		}
	}
	check(c.Clients >= 1 && c.Clients <= 1024, "clients must be in 1..1024, got %d", c.Clients)
	check(c.OpsPerClient >= 0 && c.OpsPerClient <= MaxOpsPerRun, "ops per client must be in 0..%d, got %d", MaxOpsPerRun, c.OpsPerClient)
	check(c.Keys >= 1 && c.Keys <= MaxKeys, "keys must be in 1..%d, got %d", MaxKeys, c.Keys)
	if c.Clients >= 1 && c.OpsPerClient >= 0 && c.OpsPerClient <= MaxOpsPerRun {
		check(int64(c.Clients)*int64(c.OpsPerClient) <= MaxOpsPerRun,
			"clients × ops per client must be at most %d, got %d × %d", MaxOpsPerRun, c.Clients, c.OpsPerClient)
	}
	if c.Clients >= 1 && c.Keys >= 1 && c.Keys <= MaxKeys {
		check(int64(c.Clients)*int64(c.Keys) <= MaxClientKeys,
			"clients × keys must be at most %d, got %d × %d", MaxClientKeys, c.Clients, c.Keys)
	}
	mixOK := c.Mix.ReadRatio >= 0 && c.Mix.WriteRatio >= 0 && c.Mix.CasRatio >= 0 &&
		c.Mix.ReadRatio+c.Mix.WriteRatio+c.Mix.CasRatio > 0
	check(mixOK, "mix ratios must be >= 0 with a positive sum")
	if p, err := protocol.Lookup(c.Protocol); err == nil {
		if mixOK {
			check(c.Mix.supported(p), "mix %s asks only for operations %s does not support (it supports %s)",
				c.Mix, p.Name, kindNames(p.Ops))
		}
		if err := c.ProtocolOptions.Validate(p); err != nil {
			errs = append(errs, err)
		}
	}

	w := c.Workload
	check(w.ValueDomain >= 0, "value domain must be >= 0 (0: unique values)")
	ratio("stale cas ratio", w.StaleCasRatio)
	ratio("short deadline ratio", w.ShortDeadlineRatio)
	check(w.ShortDeadlineRatio == 0 || w.ShortDeadlineNs > 0, "a short deadline must be > 0")
	check(w.ShortAttemptTimeoutNs >= 0, "a short attempt timeout must be >= 0")

	n := c.Network
	n.Latency.validate(check)
	check(n.DropRatio >= 0 && n.DropRatio < 1, "drop ratio must be in [0, 1), got %g", n.DropRatio)
	ratio("dup ratio", n.DupRatio)
	ratio("reorder ratio", n.ReorderRatio)
	check(n.ReorderMaxNs >= 0, "reorder max must be >= 0, got %s", dur(n.ReorderMaxNs))
	span("storage sync", c.Storage.SyncMinNs, c.Storage.SyncMaxNs)
	check(!c.Storage.Periodic || c.Storage.SyncPeriodNs > 0, "periodic storage needs a sync period > 0")
	check(c.Faults.ClientCrashes >= 0 && c.Faults.ClientDownNs >= 0, "client crashes and their downtime must be >= 0")
	check(c.Clocks.MaxOffsetNs >= 0 && c.Clocks.MaxDriftPPM >= 0 && c.Clocks.MaxDriftPPM < 1e5,
		"clock offset must be >= 0 and drift in [0, 100000) ppm")

	f := c.Faults
	check(f.WindowNs >= 0, "fault window must be >= 0, got %s", dur(f.WindowNs))
	check(f.Partitions >= 0 && f.Crashes >= 0 && f.Pauses >= 0 && f.SlowNodes >= 0 && f.ClockSteps >= 0,
		"fault counts must be >= 0")
	for _, fc := range []struct {
		name string
		n    int
	}{{"partitions", f.Partitions}, {"crashes", f.Crashes}, {"pauses", f.Pauses}, {"slow nodes", f.SlowNodes}, {"clock steps", f.ClockSteps},
		{"zone outages", f.ZoneOutages}, {"region outages", f.RegionOutages}, {"region partitions", f.RegionPartitions}, {"wan-slow links", f.WANSlowLinks}} {
		check(fc.n <= MaxFaultsPerKind, "%s must be at most %d, got %d", fc.name, MaxFaultsPerKind, fc.n)
	}
	for _, k := range f.PartitionKinds {
		check(slices.Contains(AllPartitionKinds(), k), "unknown partition kind %q", k)
	}
	check(f.Partitions == 0 || len(f.PartitionKinds) > 0, "partitions need at least one partition kind")
	span("partition", f.PartitionMinNs, f.PartitionMaxNs)
	span("down", f.DownMinNs, f.DownMaxNs)
	span("pause", f.PauseMinNs, f.PauseMaxNs)
	span("slow", f.SlowMinNs, f.SlowMaxNs)
	ratio("crash-after-sync ratio", f.CrashAfterSyncRatio)
	for _, aim := range []struct {
		name  string
		nodes []int
	}{{"crash nodes", f.CrashNodes}, {"isolate nodes", f.IsolateNodes}} {
		for _, n := range aim.nodes {
			check(n >= 0 && n < c.Replicas, "%s: replica %d is not in 0..%d", aim.name, n, c.Replicas-1)
		}
	}
	check(f.SlowNodes == 0 || f.SlowFactor >= 1, "slow factor must be >= 1, got %g", f.SlowFactor)
	check(f.ClockStepMaxNs >= 0, "clock step max must be >= 0, got %s", dur(f.ClockStepMaxNs))

	cl := c.Client
	check(cl.Concurrency >= 1 && cl.Concurrency <= 64, "client concurrency must be in 1..64, got %d", cl.Concurrency)
	check(slices.Contains([]Balancer{Random, RoundRobin, LeastOutstanding, KeyAffinity}, cl.Balancer),
		"unknown balancer %q (random, round-robin, least-outstanding, key-affinity)", cl.Balancer)
	check(slices.Contains([]HedgeMode{HedgeOff, HedgeFixed, HedgeP99}, cl.Hedge),
		"unknown hedge mode %q (off, fixed, p99)", cl.Hedge)
	check(cl.AttemptTimeoutNs > 0 && cl.DeadlineNs > 0, "client timeouts must be > 0, got attempt timeout %s, deadline %s",
		dur(cl.AttemptTimeoutNs), dur(cl.DeadlineNs))
	check(cl.BackoffBaseNs > 0 && cl.BackoffBaseNs <= cl.BackoffMaxNs, "client backoff must satisfy 0 < base <= max, got %s..%s",
		dur(cl.BackoffBaseNs), dur(cl.BackoffMaxNs))
	check(cl.HedgeDelayNs >= 0 && cl.ThinkMaxNs >= 0, "client delays must be >= 0")
	check(cl.ResolveGraceNs >= 0 && cl.ResolveTimeoutNs >= 0, "resolve grace and timeout must be >= 0")
	if p, err := protocol.Lookup(c.Protocol); err == nil && cl.Resolve {
		check(p.ResolveAllowed(), "resolve=on is refused for %s: its \"not applied\" is not final, so resolved operations could still take effect", c.Protocol)
	}
	c.Capacity.validate(check)
	if p, err := protocol.Lookup(c.Protocol); err == nil && c.Capacity.Degrade == DegradeOne && c.Replicas >= 1 {
		check(localReaders(p, c), "degrade=one is refused for %s: its replicas cannot answer a read alone", c.Protocol)
	}
	check(c.Limits.MaxEvents > 0 && c.Limits.MaxSimNs > 0 && c.Limits.MaxQueue > 0 && c.Limits.LivenessNs > 0,
		"limits must be > 0")
	if len(errs) == 0 {
		return nil
	}
	// One line, for the command line's one-line errors.
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

// dur shows virtual nanoseconds as a Go duration, as --faults takes them.
func dur(ns int64) string { return time.Duration(ns).String() }

// supported says whether the mix gives a positive share to an operation p
// supports. The shares of operations p does not support go to the others
// (the default mix has cas, which abd and lww lack); a mix of only those
// is refused rather than turned into something else.
func (m Mix) supported(p protocol.Protocol) bool {
	shares := [3]float64{m.ReadRatio, m.WriteRatio, m.CasRatio}
	for k, x := range shares {
		if x > 0 && p.Supports(model.Kind(k)) {
			return true
		}
	}
	return false
}

// String is the mix as --faults takes it: percentages R/W/C.
func (m Mix) String() string {
	sum := m.ReadRatio + m.WriteRatio + m.CasRatio
	if sum <= 0 {
		return "0/0/0"
	}
	pct := func(x float64) string { return strconv.FormatFloat(100*x/sum, 'g', 4, 64) }
	return pct(m.ReadRatio) + "/" + pct(m.WriteRatio) + "/" + pct(m.CasRatio)
}

func kindNames(ks []model.Kind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.String()
	}
	return strings.Join(names, ", ")
}
