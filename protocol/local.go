package protocol

// LocalReader is implemented by a Node that can answer a read of key from
// its own state alone, without a quorum: what a client's degraded read
// (consistency ONE, casim's degrade=one) gets when the strong read cannot
// complete by its deadline. The answer may be stale, or even a value not
// yet chosen; the checker checks such answers against a weaker guarantee
// than linearizability and reports their staleness. A protocol whose
// nodes do not implement it cannot run with degrade=one.
type LocalReader interface {
	LocalRead(key string) (has bool, value int64)
}
