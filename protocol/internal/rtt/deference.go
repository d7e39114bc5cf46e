package rtt

import (
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
)

// Deference lets a coordinator that is about to prepare on a key defer to
// another coordinator's round in progress there, as its own acceptor sees
// it: the acceptor promised the rival's prepare a moment ago and has not
// yet seen that round end (a commit, or in CASPaxos an accept, at or
// above the promised ballot). The deferring operation prepares when its
// own acceptor sees the round end, or when the rival has had time for its
// whole operation, whichever comes first.
//
// In Paxos a prepare preempts every lower round that has not yet made its
// proposal: whoever prepares last before the other proposes wins. A
// coordinator whose rounds are shorter (closer to a quorum), or whose
// client invokes back to back, so prepares again and again while a more
// distant coordinator is between its prepare and its proposal, and the
// distant one loses every time (issue 11: geo4 with a 3s deadline and no
// fault, see the package docs of paxos and caspaxos). Waiting for the
// rival's round to end instead of a timer makes the two take turns: the
// deferrer prepares as soon as the round it waited for commits, before
// the rival's next operation has begun, and the rival then finds that
// prepare at its own acceptor and defers in turn.
//
// What the acceptor saw is volatile (a restart forgets it, and the node
// merely does not defer), and kept in local time: it does not depend on
// the ballots' clocks, which may be skewed.
type Deference struct {
	granted map[string]grant    // key → the newest promise granted to a losing rival's prepare
	waiting map[string][]waiter // key → the operations deferring, oldest first
	// refused is, per key, the coordinators (a bit per node) whose
	// prepare or proposal this node's acceptor refused since it last
	// accepted one of their proposals: the rivals that are losing.
	refused map[string]uint64
	// held is, per key, the hold of the operation this node's acceptor
	// promised last, if it lost before (see hold).
	held map[string]hold
}

type grant struct {
	ballot ballot.Ballot
	atNs   int64
}

type waiter struct {
	id     uint64
	ballot ballot.Ballot
}

func (d *Deference) init() {
	if d.granted == nil {
		d.granted, d.waiting, d.refused, d.held = map[string]grant{}, map[string][]waiter{}, map[string]uint64{}, map[string]hold{}
	}
}

// Refused records that this node's acceptor refused a prepare or a
// proposal of coordinator from on key.
func (d *Deference) Refused(key string, from protocol.NodeID) {
	d.init()
	d.refused[key] |= bit(from)
}

// Accepted records that this node's acceptor accepted a proposal of
// coordinator from on key: it is no longer losing.
func (d *Deference) Accepted(key string, from protocol.NodeID) {
	if d.refused[key] == 0 {
		return
	}
	d.refused[key] &^= bit(from)
	if d.refused[key] == 0 {
		delete(d.refused, key)
	}
}

// Granted records that this node's acceptor promised b to coordinator
// from on key. Only a losing rival's round is one to defer to: deferring
// to every round would make each coordinator wait out the others'
// rounds even where they do not starve anyone, which costs latency and
// hides the races that the sweeps must find in the protocol's variants
// (deferring to every rival took the mixture's catch rate of
// cassandra-6012 from 53 to 3 of 1000 seeds).
func (d *Deference) Granted(env *protocol.Env, key string, from protocol.NodeID, b ballot.Ballot) {
	d.init()
	if from == env.Self || d.refused[key]&bit(from) == 0 {
		delete(d.granted, key)
		return
	}
	d.granted[key] = grant{ballot: b, atNs: env.NowNs}
}

// Rival reports the rival round an operation beginning on key now should
// defer to, and how long at most to wait for it: promised is the promise
// the acceptor holds for key, ended the newest ballot it has seen end
// (committed, or accepted in CASPaxos), skip a ballot the operation has
// already deferred to once, opNs how long the rival's whole operation
// takes from its prepare. ok is false when there is nothing to defer to:
// the acceptor's promise is its own coordinator's, or not the one it
// granted to a prepare (an accept raised it), or that round has ended,
// or it was granted opNs or more ago.
func (d *Deference) Rival(env *protocol.Env, key string, promised, ended, skip ballot.Ballot, opNs int64) (b ballot.Ballot, waitNs int64, ok bool) {
	g, found := d.granted[key]
	if !found || g.ballot != promised || !ended.Less(promised) || promised == skip {
		return ballot.Ballot{}, 0, false
	}
	waitNs = g.atNs + opNs - env.NowNs
	if waitNs <= 0 {
		return ballot.Ballot{}, 0, false
	}
	return promised, waitNs, true
}

// Wait records that operation id defers on key to the round of ballot b.
func (d *Deference) Wait(key string, id uint64, b ballot.Ballot) {
	d.init()
	d.waiting[key] = append(d.waiting[key], waiter{id: id, ballot: b})
}

// Ended records that a round at ballot b ended on key, as this node's
// acceptor saw it, and returns the operations deferring to it or to an
// older round, oldest first: they may prepare now.
func (d *Deference) Ended(key string, b ballot.Ballot) []uint64 {
	if h, ok := d.held[key]; ok && !b.Less(h.ballot) {
		delete(d.held, key)
	}
	ws := d.waiting[key]
	if len(ws) == 0 {
		return nil
	}
	var ready []uint64
	kept := ws[:0]
	for _, w := range ws {
		if w.ballot.Less(b) || w.ballot == b {
			ready = append(ready, w.id)
		} else {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		delete(d.waiting, key)
	} else {
		d.waiting[key] = kept
	}
	return ready
}

// bit is node's bit in a mask of nodes.
func bit(node protocol.NodeID) uint64 { return 1 << (uint(node) & 63) }
