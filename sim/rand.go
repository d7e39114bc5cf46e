package sim

import "math/rand/v2"

// Every random choice of a run comes from a PCG source derived from the
// seed, one per component (a replica, a client, a network link, the fault
// schedule), so that the components' draws do not interleave: a change in
// one client's operations does not reshuffle another client's, nor the
// latencies on links it does not use.

// Stream labels for derive.
const (
	streamFaults uint64 = iota + 1
	streamReplica
	streamClient
	streamLink
	streamClocks
	streamOp
	streamStorage
	streamSwarm
)

// mix64 is SplitMix64's finaliser: a bijective scramble of 64 bits.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// derive returns the random source of component (stream, index) of the run
// with the given seed.
func derive(seed, stream, index uint64) *rand.Rand {
	a := mix64(seed ^ mix64(stream<<32^index))
	b := mix64(a ^ 0x5851f42d4c957f2d)
	return rand.New(rand.NewPCG(a, b))
}

// between draws uniformly from [lo, hi].
func between(r *rand.Rand, lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.Int64N(hi-lo+1)
}
