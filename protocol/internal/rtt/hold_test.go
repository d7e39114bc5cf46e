package rtt

import (
	"math/rand/v2"
	"testing"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
)

// An acceptor's hold refuses younger operations' prepares while it
// lasts, never an older operation's or the holder's own, and ends at the
// holder's proposal, at its round's end, or after its rounds.
func TestHoldRefusesOnlyYounger(t *testing.T) {
	env := &protocol.Env{Rand: rand.New(rand.NewPCG(1, 2))}
	var d Deference
	older := ballot.Ballot{TimeNs: 10, Tie: 1}
	holder := ballot.Ballot{TimeNs: 20, Tie: 2} // the holder's ticket
	younger := ballot.Ballot{TimeNs: 30, Tie: 3}
	b := ballot.Ballot{TimeNs: 100, Tie: 2} // the holder's ballot
	const roundNs, rounds = 10, 4

	d.Hold(env, "k", b, holder, 0, rounds) // a first prepare asks for nothing
	if d.Holds(env, "k", b, younger) {
		t.Fatal("a first prepare held the key")
	}
	d.Hold(env, "k", b, holder, roundNs, rounds)
	if !d.Holds(env, "k", b, younger) {
		t.Fatal("a younger operation's prepare was not refused")
	}
	if d.Holds(env, "k", b, older) {
		t.Fatal("an older operation's prepare was refused")
	}
	if d.Holds(env, "k", b, holder) {
		t.Fatal("the holder's own next prepare was refused")
	}
	if d.Holds(env, "k", ballot.Ballot{TimeNs: 110, Tie: 4}, younger) {
		t.Fatal("held a promise that is not the holder's")
	}
	if hb, waitNs, ok := d.Holder(env, "k", b, younger); !ok || hb != b || waitNs != rounds*roundNs {
		t.Fatalf("Holder = %v %d %v, want %v %d true", hb, waitNs, ok, b, rounds*roundNs)
	}
	env.NowNs = rounds * roundNs
	if d.Holds(env, "k", b, younger) {
		t.Fatal("a hold outlived its rounds")
	}
	env.NowNs = 0
	d.Hold(env, "k", b, holder, roundNs, rounds)
	d.Proposed("k", ballot.Ballot{TimeNs: 90, Tie: 9}) // an older proposal
	if !d.Holds(env, "k", b, younger) {
		t.Fatal("an older ballot's proposal ended the hold")
	}
	d.Proposed("k", b)
	if d.Holds(env, "k", b, younger) {
		t.Fatal("the holder's proposal did not end the hold")
	}
	d.Hold(env, "k", b, holder, roundNs, rounds)
	d.Ended("k", b)
	if d.Holds(env, "k", b, younger) {
		t.Fatal("the round's end did not end the hold")
	}
}

// A phase whose timer fires with answers coming in gets one more
// timeout, the doubled one, and the phase's duration counts from its
// start; a second firing is not extended again, and a new phase may be.
func TestExtendOncePerPhase(t *testing.T) {
	env := &protocol.Env{Rand: rand.New(rand.NewPCG(1, 2))}
	e := New(20_000_000)
	var r Round
	r.Enter(env, &e, "k", 1, 1<<62)
	first := env.Timers[len(env.Timers)-1]
	env.NowNs += first.AfterNs
	e.TimedOut()
	if !r.Extend(env, &e, "k", 1, 1<<62) {
		t.Fatal("the first firing was not extended")
	}
	ext := env.Timers[len(env.Timers)-1]
	if ext.AfterNs != 2*first.AfterNs || ext.Timer.Seq == first.Timer.Seq {
		t.Fatalf("extension %+v after first timer %+v: want twice the timeout, a new seq", ext, first)
	}
	if r.Extend(env, &e, "k", 1, 1<<62) {
		t.Fatal("a phase was extended twice")
	}
	r.Enter(env, &e, "k", 1, 1<<62)
	if !r.Extend(env, &e, "k", 1, 1<<62) {
		t.Fatal("a new phase could not be extended")
	}
}
