// Package stateenc writes a replica's canonical state encoding
// (protocol.StateEncoder) as a sequence of 64-bit words. casim explore
// hashes what it is given; a writer that can take words whole (explore's
// hasher) is given them without going through bytes.
package stateenc

import (
	"encoding/binary"
	"io"
	"math"
	"slices"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/register"
)

// WordWriter is what a writer that hashes words offers.
type WordWriter interface {
	WriteWord(uint64)
}

// W writes words to an io.Writer.
type W struct {
	w    io.Writer
	ww   WordWriter
	buf  [8]byte
	sbuf []string
}

// New wraps w.
func New(w io.Writer) *W {
	e := &W{w: w}
	e.ww, _ = w.(WordWriter)
	return e
}

// Word writes one word.
func (e *W) Word(x uint64) {
	if e.ww != nil {
		e.ww.WriteWord(x)
		return
	}
	binary.LittleEndian.PutUint64(e.buf[:], x)
	e.w.Write(e.buf[:])
}

// Int writes a signed integer.
func (e *W) Int(x int64) { e.Word(uint64(x)) }

// Bool writes a boolean.
func (e *W) Bool(b bool) {
	if b {
		e.Word(1)
	} else {
		e.Word(0)
	}
}

// Float writes a float (+0 and -0 alike).
func (e *W) Float(f float64) {
	if f == 0 {
		e.Word(0)
		return
	}
	e.Word(math.Float64bits(f))
}

// String writes a string: its length, then its bytes in words.
func (e *W) String(s string) {
	e.Word(uint64(len(s)))
	for len(s) >= 8 {
		e.Word(binary.LittleEndian.Uint64([]byte(s[:8])))
		s = s[8:]
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	e.Word(w)
}

// SortedKeys returns m's keys in order, in a buffer reused by the next
// call.
func SortedKeys[V any](e *W, m map[string]V) []string {
	ks := e.sbuf[:0]
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	e.sbuf = ks
	return ks
}

// Ballot writes a ballot.
func (e *W) Ballot(b ballot.Ballot) {
	e.Int(b.TimeNs)
	e.Word(b.Tie)
}

// Token writes an idempotency token.
func (e *W) Token(t protocol.Token) {
	e.Int(t.TimeNs)
	e.Word(t.Nonce)
}

// Input writes a client operation.
func (e *W) Input(in model.Input) {
	e.Word(uint64(in.Kind))
	e.String(in.Key)
	e.Int(in.Value)
	e.Int(in.Expected)
}

// Request writes a client request.
func (e *W) Request(r protocol.Request) {
	e.Word(r.ID)
	e.Input(r.Op)
	e.Token(r.Token)
	e.Int(r.TimeoutNs)
	e.Int(r.DeadlineNs)
	e.Bool(r.Resolve)
	e.Word(uint64(r.Stream))
}

// Reply writes a reply to a client.
func (e *W) Reply(r protocol.Reply) {
	e.Word(r.ID)
	e.Token(r.Token)
	e.Word(uint64(r.Status))
	e.Bool(r.Has)
	e.Int(r.Value)
}

// Value writes a key's register value with its window of outcomes.
func (e *W) Value(v register.Value) {
	e.Bool(v.Has)
	e.Int(v.V)
	e.Word(uint64(len(v.Outcomes.Entries)))
	for _, en := range v.Outcomes.Entries {
		e.Token(en.Token)
		e.Session(en.Session)
		e.Word(uint64(en.Data))
	}
	e.Word(uint64(len(v.Outcomes.Evicted)))
	for _, m := range v.Outcomes.Evicted {
		e.Session(m.Session)
		e.Int(m.TimeNs)
	}
}

// Session writes a client's stream of operations.
func (e *W) Session(s protocol.Session) {
	e.Int(int64(s.Client))
	e.Word(uint64(s.Stream))
}
