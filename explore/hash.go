package explore

import (
	"math"
	"math/bits"
	"reflect"
	"sync"
)

// hasher folds 64-bit words into a 64-bit hash (a multiply-fold mix in the
// style of wyhash). The explorer's visited set keeps only these hashes: two
// different states colliding is possible but, for ten million states,
// about one chance in 370,000 (n²/2^65), and for paxos's two-client
// proof (97.8M states) about one in 3,800: a proof of billions of states
// would want wider hashes.
type hasher struct{ h uint64 }

const (
	hashSeed = 0x243f6a8885a308d3
	mulA     = 0xa0761d6478bd642f
	mulB     = 0xe7037ed1a0b428db
)

func newHasher() hasher { return hasher{hashSeed} }

func (h *hasher) word(x uint64) {
	hi, lo := bits.Mul64(h.h^x^mulA, mulB)
	h.h = hi ^ lo
}

func (h *hasher) str(s string) {
	h.word(uint64(len(s)))
	for len(s) >= 8 {
		h.word(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
		s = s[8:]
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	h.word(w)
}

// Write makes hasher an io.Writer, for protocol.StateEncoder.
func (h *hasher) Write(p []byte) (int, error) {
	h.str(string(p))
	return len(p), nil
}

// WriteWord takes a word whole (stateenc.WordWriter), for the protocols'
// encoders.
func (h *hasher) WriteWord(x uint64) { h.word(x) }

func (h *hasher) sum() uint64 {
	hi, lo := bits.Mul64(h.h^mulB, mulA)
	return hi ^ lo
}

// mix scrambles one word: what multisets sum, so that the sum of their
// elements' mixes does not cancel.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func hashWords(ws ...uint64) uint64 {
	h := newHasher()
	for _, w := range ws {
		h.word(w)
	}
	return h.sum()
}

// typeIDs gives every type met in an interface a stable number: the hash
// of its name, so that two message types with the same fields differ.
var typeIDs sync.Map // reflect.Type -> uint64

func typeID(t reflect.Type) uint64 {
	if id, ok := typeIDs.Load(t); ok {
		return id.(uint64)
	}
	h := newHasher()
	h.str(t.PkgPath())
	h.str(t.String())
	id := h.sum()
	typeIDs.Store(t, id)
	return id
}

func floatBits(f float64) uint64 {
	if f == 0 {
		return 0 // +0 and -0 behave alike
	}
	return math.Float64bits(f)
}
