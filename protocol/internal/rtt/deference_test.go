package rtt

import (
	"math/rand/v2"
	"testing"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
)

// A coordinator defers only to a losing rival's round that its acceptor
// promised recently and has not seen end; the round's end releases it.
func TestDeferenceOnlyToALosingRival(t *testing.T) {
	env := &protocol.Env{Rand: rand.New(rand.NewPCG(1, 2))}
	env.Self = 0
	var d Deference
	rival := ballot.Ballot{TimeNs: 100, Tie: 7<<8 | 2} // made by node 2
	ended := ballot.Ballot{TimeNs: 50, Tie: 1}
	const opNs = 40

	d.Granted(env, "k", 2, rival)
	if _, _, ok := d.Rival(env, "k", rival, ended, ballot.Ballot{}, opNs); ok {
		t.Fatal("deferred to a rival that is not losing")
	}
	d.Refused("k", 2)
	d.Granted(env, "k", 2, rival)
	b, waitNs, ok := d.Rival(env, "k", rival, ended, ballot.Ballot{}, opNs)
	if !ok || b != rival || waitNs != opNs {
		t.Fatalf("losing rival: got %v %d %v, want its ballot, %d, true", b, waitNs, ok, opNs)
	}
	if _, _, ok := d.Rival(env, "k", rival, ended, rival, opNs); ok {
		t.Fatal("deferred twice to one round")
	}
	if _, _, ok := d.Rival(env, "k", rival, rival, ballot.Ballot{}, opNs); ok {
		t.Fatal("deferred to a round that has ended")
	}
	higher := ballot.Ballot{TimeNs: 120, Tie: 3<<8 | 1}
	if _, _, ok := d.Rival(env, "k", higher, ended, ballot.Ballot{}, opNs); ok {
		t.Fatal("deferred to a promise that is not the one granted")
	}
	env.NowNs = opNs
	if _, _, ok := d.Rival(env, "k", rival, ended, ballot.Ballot{}, opNs); ok {
		t.Fatal("deferred to a round granted a whole operation ago")
	}

	d.Wait("k", 11, rival)
	d.Wait("k", 12, higher)
	if got := d.Ended("k", ended); len(got) != 0 {
		t.Fatalf("an older round's end released %v", got)
	}
	if got := d.Ended("k", rival); len(got) != 1 || got[0] != 11 {
		t.Fatalf("the round's end released %v, want [11]", got)
	}
	if got := d.Ended("k", higher); len(got) != 1 || got[0] != 12 {
		t.Fatalf("released %v, want [12]", got)
	}

	d.Accepted("k", 2) // no longer losing
	env.NowNs = 0
	d.Granted(env, "k", 2, rival)
	if _, _, ok := d.Rival(env, "k", rival, ended, ballot.Ballot{}, opNs); ok {
		t.Fatal("deferred to a rival whose proposal was accepted since")
	}
	d.Refused("k", 0)
	d.Granted(env, "k", 0, rival)
	if _, _, ok := d.Rival(env, "k", rival, ended, ballot.Ballot{}, opNs); ok {
		t.Fatal("deferred to its own round")
	}
}
