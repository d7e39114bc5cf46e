package sim

// Bounds on a run's size, checked by Config.Validate before anything is
// drawn or allocated. They are far above the default scenario (100
// operations on 2 keys) so that real large runs fit, and low enough that a
// typo (ops=1000000000) is refused in a line instead of eating the
// machine's memory.
const (
	// MaxOpsPerRun bounds clients × ops_per_client. A run keeps about 300
	// bytes per operation (its two history events, its record and its
	// name), so the bound is about 3 GB at most; a run that size also takes
	// minutes (about 50 events per operation at 4M events/s), and
	// Limits.MaxEvents, 5M by default, stops it far sooner unless raised.
	MaxOpsPerRun = 10_000_000
	// MaxKeys bounds keys: each key has a name and a register in the
	// history's model, and the checker checks keys one by one.
	MaxKeys = 1_000_000
	// MaxClientKeys bounds clients × keys: every client remembers the last
	// value it saw of every key (16 bytes each, 160 MB at the bound), the
	// expected value of its next cas.
	MaxClientKeys = 10_000_000
	// MaxFaultsPerKind bounds each drawn fault count (partitions, crashes,
	// pauses, slow nodes, clock steps): the schedule is drawn and kept
	// before the run starts, so crashes=1000000000 took gigabytes in
	// seconds. The default scenario draws a handful; swarm at most ten. At
	// the bound every kind runs in seconds on the default workload (slow
	// nodes are the dearest, each message consults them: 10,000 take about
	// 3 s and 150 MB, 100,000 over a minute).
	MaxFaultsPerKind = 10_000
	// MaxRoundTripNs bounds the typical round trip (RoundTripNs: latency
	// both ways plus service time), a minute, far above any real network:
	// timeouts and run limits left unset scale with it, and latency-mean=
	// 1000h made them overflow into negative durations that the error
	// then showed instead of naming the setting.
	MaxRoundTripNs = 60_000_000_000
)
