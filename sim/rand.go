package sim

import "math/rand/v2"

// Every random choice of a run comes from a PCG source derived from the
// seed. The sources are keyed so that removing part of a scenario (an
// operation, a client, a fault) leaves the other choices as they were,
// which is what lets a failing run shrink and still fail:
//
//   - each client operation draws its type, key, token, coordinators,
//     backoffs and the think time after it from its own stream, keyed by
//     (client, operation index);
//   - each message's fate (loss, delay, duplication) is keyed by the
//     operation it works for and its number among that operation's
//     messages, and each replica handler's randomness likewise;
//   - the fault schedule, clocks and swarm settings have streams of their
//     own.

// Stream labels for derive.
// The values are part of every trace: a retired stream keeps its place
// (as _) so that the others keep theirs.
const (
	streamFaults uint64 = iota + 1
	_                   // per-replica streams, before handlers were keyed
	streamClient
	_ // per-link streams, before messages were keyed
	streamClocks
	streamOp
	_ // storage delays, now drawn from the handler's stream
	streamSwarm
	streamMessage
	streamHandler
	streamService // per-replica service times (capacity.go)
	streamArrival // per-client open-loop arrivals (openloop.go)
	streamMixture
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
	return rand.New(rand.NewPCG(deriveSeeds(seed, stream, index)))
}

func deriveSeeds(seed, stream, index uint64) (uint64, uint64) {
	a := mix64(seed ^ mix64(stream<<32^index))
	return a, mix64(a ^ 0x5851f42d4c957f2d)
}

// rederive reseeds k to the stream derive(seed, stream, index) would
// return, without allocating: for per-operation streams.
func (k keyed) rederive(seed, stream, index uint64) *rand.Rand {
	k.pcg.Seed(deriveSeeds(seed, stream, index))
	return k.r
}

// between draws uniformly from [lo, hi].
func between(r *rand.Rand, lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.Int64N(hi-lo+1)
}

// keyed is a random source reseeded for each choice from a key, so that
// the choice depends on the key alone, not on how many draws came before.
// Reseeding reuses one PCG: no allocation per draw.
type keyed struct {
	pcg *rand.PCG
	r   *rand.Rand
}

func newKeyed() keyed {
	pcg := rand.NewPCG(0, 0)
	return keyed{pcg: pcg, r: rand.New(pcg)}
}

// at reseeds the source from the seed and three key words and returns it.
func (k keyed) at(seed, a, b, c uint64) *rand.Rand {
	h := mix64(seed ^ mix64(a^mix64(b^mix64(c))))
	k.pcg.Seed(h, mix64(h^0x5851f42d4c957f2d))
	return k.r
}
