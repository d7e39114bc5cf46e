// Package caspaxos is CASPaxos (Denis Rystsov, "CASPaxos: Replicated State
// Machines without logs", 2018, arXiv:1802.07000): one register per key, no log, every operation a change function applied by
// a proposer:
//
//  1. The proposer sends prepare(B) to every acceptor; B = (counter,
//     random tie with the proposer's id), above every ballot it has seen.
//  2. An acceptor refuses if it promised a greater ballot; otherwise it
//     persists the promise and returns its accepted (ballot, value).
//  3. With a quorum (F+1 of 2F+1) of promises, the proposer takes the
//     value with the highest ballot (empty if none), applies the change
//     function and sends accept(B, f(x)). Read is the identity; write
//     sets the value; cas is "if x == expected then new else x".
//  4. An acceptor refuses if it promised a greater ballot; otherwise it
//     stores (B, value) and raises its promise to B.
//  5. With a quorum of accepts the proposer answers the client.
//  6. A refusal or a round without a quorum backs off for a random time
//     and starts over with a higher ballot.
//
// Idempotency and resolve, as in package paxos: the value carries the
// window of recent tokens' outcomes (package register), and f of a
// request whose token is already there is the identity, answered with the
// recorded outcome. Every operation, a read or a repeat included, goes
// through the accept phase: the highest-ballot value of a prepare quorum
// may have been accepted by a minority only, and answering from it
// without accepting it first could report an outcome that is later lost.
// A resolving read that finds no outcome accepts the value unchanged at
// its new ballot before answering NotApplied: an older proposal carrying
// the operation can then never be chosen. A proposer makes no proposal
// past the request's deadline.
//
// One round trip (option one-round-trip=on, Rystsov's section 2.2.1): an
// accept also carries the proposer's next ballot, and an acceptor that
// accepts promises that ballot in the same step. If a quorum promised it,
// the proposer keeps (next ballot, accepted value) for the key, and its
// next operation on the key skips the prepare: the quorum's promises
// already reported that value as their latest accepted.
//
// Variants: minority-quorum (quorums of F instead of F+1), retry-no-token
// (the client retries with a fresh token), forget-failed-compare and
// no-tombstone (as in package paxos), read-without-accept (a read answers
// from the prepare quorum) and next-not-promised (one round trip forced
// on; acceptors report the piggybacked ballot promised without recording
// it).
//
// Finding: deleting the cached promise once an operation used it is not
// a safety rule: two operations sharing one cached ballot cannot both win
// a quorum, since the first accept an acceptor takes raises its promise
// to that operation's next ballot. It keeps the two from duelling.
//
// Finding (issue 11): ballots that fall behind. A proposer prepared at
// one above the highest ballot a refusal had shown it, which a busier
// proposer (one round per operation on cached promises) had long
// passed: it lost every prepare, and operations queued at it expired
// (sixteen clients on one key at 100ms one-way; geo4 with a 3s
// deadline: 23 of 100 seeds failed liveness). It now prepares above its
// own acceptor's promise too (begin in proposer.go).
//
// Finding (issue 11): starvation across regions, as in package paxos.
// Under geo4 with --faults none,deadline=3s, 2 seeds of 100 were stuck
// (18, 77) and 2 unavailable (47, 80); with deadline=2s, 16 and 9. In
// seed 18 proposer n1 in us-east-1 needs 73ms for its seventh promise
// (from another coast), and the us-east-2 client, invoking back to back,
// had a new prepare at the acceptors before n1's accept arrived; n1's
// accepts were refused, it backed off, and its read waited out its 3s.
// A proposer about to prepare on its first attempt now defers to a
// losing rival's round that its own acceptor promised a moment ago
// (rtt.Deference; begin in proposer.go), until its acceptor accepts that
// round's proposal, or for twice the three rounds a rival's operation
// takes in its own measure. After: 0 stuck
// and 0 unavailable at 3s, 1 stuck at 2s (seed 13; before the merge with
// the catch branch's mixture, 2 and 2). Tried and left out: ending a
// refused proposer's backoff when the winner's accept reaches its own
// acceptor (as paxos ends its yield at the winner's commit). It made
// the 2s sweep clean, but seed 78 of sixteen clients on one key then
// gave a history the checker could not decide in 150s (verdict unknown;
// a CI line), so it is not in.
package caspaxos

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/register"
	"github.com/casimlab/casim/protocol/internal/rtt"
)

type options struct {
	// minorityQuorum: quorums of N/2 instead of N/2+1.
	minorityQuorum bool
	// forgetFailedCompare: a compare-failed cas leaves no outcome in the
	// token window, so a late second execution can apply it.
	forgetFailedCompare bool
	// noTombstone: a resolving read that finds nothing accepts the value
	// unchanged but records no NotApplied outcome for the token.
	noTombstone bool
	// readWithoutAccept: a read answers from the prepare quorum's
	// highest-ballot value without accepting it first.
	readWithoutAccept bool
	// nextNotPromised (one round trip, forced on): an acceptor answers
	// that it promised the piggybacked next ballot without recording the
	// promise, so a proposer with a ballot in between can be accepted
	// while the cached promise is still used.
	nextNotPromised bool
}

var optionDocs = []protocol.OptionDoc{{Name: "one-round-trip", Values: []string{"off", "on"}, Default: "off", Draw: []string{"off", "on"},
	Description: "piggyback the next prepare on each accept, so a proposer that keeps a key does one round trip per operation"}}

func init() {
	ops := []model.Kind{model.Read, model.Write, model.Cas}
	for _, p := range []protocol.Protocol{
		{
			Name:         "caspaxos",
			Description:  "CASPaxos: a register per key, operations as change functions, with idempotency-token outcomes",
			Linearizable: true,
			Client:       protocol.ClientOptions{Resolve: true},
			New:          factory(options{}),
		},
		{
			Name:        "caspaxos/minority-quorum",
			Description: "quorums of F instead of F+1 replicas",
			Client:      protocol.ClientOptions{Resolve: true},
			New:         factory(options{minorityQuorum: true}),
		},
		{
			Name:        "caspaxos/forget-failed-compare",
			Description: "a compare-failed cas is not stored with its token; a late second execution can apply it",
			Client:      protocol.ClientOptions{Resolve: true},
			New:         factory(options{forgetFailedCompare: true}),
		},
		{
			Name:        "caspaxos/no-tombstone",
			Description: "a resolving read that finds nothing leaves no tombstone; a later execution can still apply the write",
			Client:      protocol.ClientOptions{Resolve: true},
			New:         factory(options{noTombstone: true}),
		},
		{
			Name:        "caspaxos/read-without-accept",
			Description: "a read answers from the prepare quorum's highest-ballot value without accepting it",
			Client:      protocol.ClientOptions{Resolve: true},
			New:         factory(options{readWithoutAccept: true}),
		},
		{
			Name:        "caspaxos/next-not-promised",
			Description: "one round trip, with acceptors that report the piggybacked next ballot promised without recording it",
			Client:      protocol.ClientOptions{Resolve: true},
			New:         factory(options{nextNotPromised: true}),
		},
		{
			Name:        "caspaxos/retry-no-token",
			Description: "client retries a timed-out operation with a fresh token (JAVA-819 shape)",
			Client:      protocol.ClientOptions{Resolve: true, FreshTokenOnRetry: true},
			New:         factory(options{}),
		},
	} {
		// No contention envelope (protocol.Protocol.MaxContention): see
		// paxos's variants.go.
		p.Ops, p.Options = ops, optionDocs
		protocol.Register(p)
	}
}

type (
	Ballot = ballot.Ballot
	Value  = register.Value
)

// Proposal is a value under a ballot.
type Proposal struct {
	Ballot Ballot
	Value  Value
}

// acceptorState is one key at one acceptor, persisted whole.
type acceptorState struct {
	Promised Ballot
	Accepted Proposal
}

// cached is what the one-round-trip optimisation keeps per key: a ballot a
// quorum promised, and the value they all accepted just before.
type cached struct {
	ballot Ballot
	value  Value
}

type node struct {
	cfg     protocol.Config
	opts    options
	quorum  int
	oneTrip bool
	keys    map[string]acceptorState
	ops     map[uint64]*op
	cache   map[string]cached
	// lastBallot keeps this proposer's ballots increasing.
	lastBallot Ballot
	// rounds learns how long a round takes, for round timeouts and
	// backoff.
	rounds rtt.Estimator
	// lanes runs this proposer's operations on a key one at a time; the
	// queued ones ride the running one's proposal (proposer.go).
	lanes rtt.Lanes
	// deference holds the losing rivals' rounds this node's acceptor saw
	// begin, and the operations waiting for them (see begin).
	deference rtt.Deference
}

func factory(opts options) protocol.Factory {
	return func(cfg protocol.Config, store protocol.Store) protocol.Node {
		n := &node{cfg: cfg, opts: opts, quorum: cfg.Quorum(), keys: protocol.LoadAll[acceptorState](store),
			ops: map[uint64]*op{}, cache: map[string]cached{}, rounds: rtt.New(cfg.RoundTripNs),
			oneTrip: cfg.Options.Get(protocol.Protocol{Options: optionDocs}, "one-round-trip") == "on"}
		if opts.nextNotPromised {
			n.oneTrip = true // the variant is of the one-round-trip code
		}
		if opts.minorityQuorum {
			n.quorum = cfg.N / 2
		}
		return n
	}
}

// Messages. Op names the proposer's operation; Ballot guards against
// answers from an earlier round.

type prepare struct {
	Key    string
	Op     uint64
	Ballot Ballot
}

type promise struct {
	Key      string
	Op       uint64
	Ballot   Ballot
	OK       bool
	Promised Ballot // on a refusal: the promise that beat us
	Accepted Proposal
}

type accept struct {
	Key      string
	Op       uint64
	Proposal Proposal
	Next     Ballot // one round trip: promise this too (zero: no)
}

type accepted struct {
	Key      string
	Op       uint64
	Ballot   Ballot
	OK       bool
	NextOK   bool // the acceptor promised Next
	Promised Ballot
}

func (prepare) Kind() string  { return "prepare" }
func (promise) Kind() string  { return "promise" }
func (accept) Kind() string   { return "accept" }
func (accepted) Kind() string { return "accept-resp" }

func (n *node) save(env *protocol.Env, key string, s acceptorState) {
	n.keys[key] = s
	env.Persist(key, s)
	// This node's proposer drops a cached promise that its own acceptor
	// has seen overtaken: using it would cost a refused round.
	if c, ok := n.cache[key]; ok && c.ballot.Less(s.Promised) {
		delete(n.cache, key)
	}
}

// onPrepare: promise unless a greater ballot was promised. A repeated
// prepare of the promised ballot is promised again (the network duplicates
// messages; ballots are unique to their proposer).
func (n *node) onPrepare(env *protocol.Env, from protocol.NodeID, m prepare) {
	s := n.keys[m.Key]
	if m.Ballot.Less(s.Promised) {
		n.deference.Refused(m.Key, from)
		env.Send(from, promise{Key: m.Key, Op: m.Op, Ballot: m.Ballot, Promised: s.Promised})
		return
	}
	if s.Promised != m.Ballot {
		s.Promised = m.Ballot
		n.save(env, m.Key, s)
		n.deference.Granted(env, m.Key, from, m.Ballot)
	}
	env.Send(from, promise{Key: m.Key, Op: m.Op, Ballot: m.Ballot, OK: true, Promised: s.Promised, Accepted: s.Accepted})
}

// onAccept: accept unless a greater ballot was promised, and raise the
// promise to the accepted ballot (or to the piggybacked next one).
func (n *node) onAccept(env *protocol.Env, from protocol.NodeID, m accept) {
	s := n.keys[m.Key]
	b := m.Proposal.Ballot
	if b.Less(s.Promised) {
		n.deference.Refused(m.Key, from)
		env.Send(from, accepted{Key: m.Key, Op: m.Op, Ballot: b, Promised: s.Promised})
		return
	}
	n.deference.Accepted(m.Key, from)
	s.Accepted = m.Proposal
	s.Promised = ballot.Max(s.Promised, b)
	nextOK := !m.Next.IsZero() && !m.Next.Less(s.Promised)
	if nextOK && !n.opts.nextNotPromised {
		s.Promised = m.Next
	}
	n.save(env, m.Key, s)
	env.Send(from, accepted{Key: m.Key, Op: m.Op, Ballot: b, OK: true, NextOK: nextOK, Promised: s.Promised})
	// The round this node's proposer deferred to has made its proposal:
	// its deferred operations may prepare now (begin in proposer.go).
	for _, id := range n.deference.Ended(m.Key, b) {
		if o := n.ops[id]; o != nil && o.phase == phDefer {
			n.begin(env, o)
		}
	}
}

func (n *node) OnMessage(env *protocol.Env, from protocol.NodeID, m protocol.Message) {
	switch m := m.(type) {
	case prepare:
		n.onPrepare(env, from, m)
	case accept:
		n.onAccept(env, from, m)
	case promise:
		n.onPromise(env, from, m)
	case accepted:
		n.onAccepted(env, from, m)
	}
}
