package sim

// clock is one endpoint's local clock: real (simulated) time moved by a
// fixed offset, a drift rate and any steps so far.
type clock struct {
	offsetNs int64
	driftPPM float64
	stepNs   int64
}

// ClockEpochNs is what every local clock reads at simulated time zero
// (before its offset): a thousand seconds, so that no clock, however far
// behind, reads a negative time, as no real clock does.
const ClockEpochNs = 1_000_000_000_000

// read returns the local time at simulated time nowNs.
func (c *clock) read(nowNs int64) int64 {
	return ClockEpochNs + nowNs + c.offsetNs + c.stepNs + int64(float64(nowNs)*c.driftPPM/1e6)
}

// span converts a local duration into simulated time: a fast clock's
// timers fire early.
func (c *clock) span(localNs int64) int64 {
	if c.driftPPM == 0 {
		return localNs
	}
	// A positive span stays positive: a 1ns timer on a fast clock once
	// rounded to no time at all and fired again and again at one instant
	// (5M events of one paxos coordinator under --swarm).
	return max(min(localNs, 1), int64(float64(localNs)*1e6/(1e6+c.driftPPM)))
}

// drawClocks gives each replica and client its clock.
func drawClocks(cfg Config) []clock {
	clocks := make([]clock, cfg.Replicas+cfg.Clients)
	if cfg.Clocks.MaxOffsetNs == 0 && cfg.Clocks.MaxDriftPPM == 0 {
		return clocks
	}
	r := derive(cfg.Seed, streamClocks, 0)
	for i := range clocks {
		clocks[i].offsetNs = between(r, -cfg.Clocks.MaxOffsetNs, cfg.Clocks.MaxOffsetNs)
		clocks[i].driftPPM = (2*r.Float64() - 1) * cfg.Clocks.MaxDriftPPM
	}
	return clocks
}
