package sim

import "slices"

// Client timeouts and run limits that are left zero derive from what the
// network makes a round trip cost, so that a scenario stays the same
// scenario, measured in round trips, whatever its latency. The fixed
// values casim used to have (a 60ms attempt timeout, a 400ms deadline)
// are the defaults of the lan network they were tuned for, where a round
// trip between a coordinator and a quorum takes about 2ms; at a 20ms
// one-way latency every paxos attempt timed out before its second round
// trip and every seed was stuck (issue 11).

// lanRoundTripNs is the round trip the fixed defaults below were made
// for: the default network's 200µs + exponential(800µs) each way.
const lanRoundTripNs = 2 * ms

// The defaults at lanRoundTripNs; each scales with the round trip, never
// below these values.
const (
	lanAttemptTimeoutNs = 60 * ms
	lanDeadlineNs       = 400 * ms
	lanBackoffBaseNs    = 2 * ms
	lanBackoffMaxNs     = 40 * ms
	lanHedgeDelayNs     = 100 * ms
	lanResolveGraceNs   = 20 * ms
	lanResolveTimeoutNs = 300 * ms
	lanLivenessNs       = 5_000 * ms
	lanMaxSimNs         = 60_000 * ms
)

// typicalNs is the typical one-way delay of l: its mean (capped by its
// maximum), or the middle of a uniform range.
func (l Latency) typicalNs() int64 {
	switch l.Dist {
	case Constant:
		return l.MinNs
	case Uniform:
		return (l.MinNs + l.MaxNs) / 2
	}
	d := l.MinNs + l.MeanNs
	if l.MaxNs > l.MinNs {
		d = min(d, l.MaxNs)
	}
	return d
}

// RoundTripNs is what a round trip from a coordinator to a quorum of
// replicas typically costs in this scenario's network: what the protocols
// start their round timeouts from (protocol.Config.RoundTripNs) and what
// the derived client defaults scale with.
// With a topology it is the slowest replica's round trip to its nearest
// majority.
func (c Config) RoundTripNs() int64 {
	if t := c.Topology; t != nil && t.validate() == nil && c.Replicas == t.Replicas() {
		return slices.Max(t.quorumRoundTripNs(t.place(0), c.Replicas)) + c.Capacity.roundTripNs()
	}
	return 2*c.Network.Latency.typicalNs() + c.Capacity.roundTripNs()
}

// scale returns base scaled by the scenario's round trip over the lan's,
// never below base.
func (c Config) scale(base int64) int64 {
	rt := c.RoundTripNs()
	if rt <= lanRoundTripNs {
		return base
	}
	return int64(float64(base) * float64(rt) / float64(lanRoundTripNs))
}

// Derive fills the client timeouts, backoffs and run limits left zero
// from the round trip (see RoundTripNs). A scenario completed before a
// run has them all set; what was set by hand stays as it is.
func (c *Config) Derive() {
	set := func(p *int64, base int64) {
		if *p == 0 {
			*p = c.scale(base)
		}
	}
	cl := &c.Client
	base := func(b, lan int64) int64 {
		if b > 0 {
			return b
		}
		return lan
	}
	set(&cl.AttemptTimeoutNs, base(cl.AttemptTimeoutBaseNs, lanAttemptTimeoutNs))
	set(&cl.DeadlineNs, base(cl.DeadlineBaseNs, lanDeadlineNs))
	set(&cl.BackoffBaseNs, lanBackoffBaseNs)
	set(&cl.BackoffMaxNs, max(lanBackoffMaxNs, cl.BackoffBaseNs))
	set(&cl.HedgeDelayNs, base(cl.HedgeDelayBaseNs, lanHedgeDelayNs))
	set(&cl.ResolveGraceNs, base(cl.ResolveGraceBaseNs, lanResolveGraceNs))
	set(&cl.ResolveTimeoutNs, lanResolveTimeoutNs)
	// The mixture's durations without a lan default: scaled from their
	// bases if any (a think time or short deadline left zero is none).
	if cl.ThinkMaxBaseNs > 0 {
		set(&cl.ThinkMaxNs, cl.ThinkMaxBaseNs)
	}
	if w := &c.Workload; w.ShortDeadlineRatio > 0 && w.ShortDeadlineBaseNs > 0 {
		set(&w.ShortDeadlineNs, w.ShortDeadlineBaseNs)
		if w.ShortAttemptTimeoutBaseNs > 0 {
			set(&w.ShortAttemptTimeoutNs, w.ShortAttemptTimeoutBaseNs)
		}
	}
	if k := &c.Capacity; k.Shed && k.QueueBudgetNs == 0 {
		k.QueueBudgetNs = cl.AttemptTimeoutNs / 2 // a request queued longer is likely abandoned
	}
	// An open loop takes as long as its arrivals: the liveness phase
	// (from the heal, usually early) and the run's limit allow for that.
	span := c.Capacity.arrivalSpanNs(c.OpsPerClient)
	set(&c.Limits.LivenessNs, lanLivenessNs+span)
	set(&c.Limits.MaxSimNs, lanMaxSimNs+2*span)
}
