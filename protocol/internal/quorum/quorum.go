// Package quorum counts a coordinator's answers to one round of requests:
// each replica counts once however often its answer is delivered (the
// network duplicates messages), and the round is decided when enough
// replicas agreed or so many refused that agreement can no longer come.
package quorum

import (
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/stateenc"
)

// Tally is one round's count. The zero value waits for nothing; Reset
// starts a round.
type Tally struct {
	seen  uint64 // bitmask of replicas that answered
	OKs   int
	Nacks int
	Need  int // agreeing answers the round waits for
}

// Reset starts a new round that waits for need agreeing answers.
func (t *Tally) Reset(need int) { *t = Tally{Need: need} }

// First records that replica from answered, and reports whether this is its
// first answer in the round. Later copies must be ignored.
func (t *Tally) First(from protocol.NodeID) bool {
	bit := uint64(1) << uint(from)
	if t.seen&bit != 0 {
		return false
	}
	t.seen |= bit
	return true
}

// Answered reports whether replica from has answered in this round.
func (t *Tally) Answered(from protocol.NodeID) bool { return t.seen&(1<<uint(from)) != 0 }

// OK counts an agreeing answer and reports whether the round now has
// exactly enough: true once, on the answer that completes it.
func (t *Tally) OK() bool {
	t.OKs++
	return t.OKs == t.Need
}

// Nack counts a refusal among n replicas and reports whether it is the one
// that makes Need agreeing answers impossible: true once.
func (t *Tally) Nack(n int) bool {
	t.Nacks++
	return t.Nacks == n-t.Need+1
}

// Resend sends m to every replica that has not answered this round: how a
// coordinator whose round timed out asks again without resetting the
// answers it has (the requests must be idempotent).
func (t *Tally) Resend(env *protocol.Env, m protocol.Message) {
	for i := range env.N {
		if to := protocol.NodeID(i); !t.Answered(to) {
			env.Send(to, m)
		}
	}
}

// EncodeState writes t for casim explore's canonical state encoding.
func (t *Tally) EncodeState(e *stateenc.W) {
	e.Word(t.seen)
	e.Int(int64(t.OKs))
	e.Int(int64(t.Nacks))
	e.Int(int64(t.Need))
}
