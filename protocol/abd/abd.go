// Package abd is the multi-writer ABD atomic register (Attiya, Bar-Noy and
// Dolev, "Sharing memory robustly in message-passing systems", 1995; the
// multi-writer form of Lynch and Shvartsman, "Robust emulation of shared
// memory using dynamic quorum-acknowledged broadcasts", 1997). Read and
// write only; each key is a register whose value
// carries a tag (timestamp, writer tie):
//
//  1. Write, query phase: ask every replica for its tag; wait for a
//     majority.
//  2. Write, store phase: send (value, tag) with tag = (highest
//     timestamp + 1, this writer's random tie) to every replica; a replica
//     keeps it if the tag is above its own; wait for a majority of
//     acknowledgements.
//  3. Read: ask a majority for (value, tag), take the highest, and write
//     it back to a majority before returning it (the write-back is what
//     makes a read see no older value than an earlier read saw).
//
// Idempotency. A client retries and hedges a write at other coordinators
// with the same token, and ABD by itself would store a retried write under
// a second, higher tag: a reader could see the value, then a later write,
// then the value again. So a write's query phase also claims its token at
// each replica (kept in a window of recent tokens, persisted): the first
// coordinator operation to ask claims it, and a replica records the tag
// once the value is stored. A coordinator stores a new tag only if a
// majority answered that the token is its own; if some replica has the
// token stored, it writes that same tag back and answers applied; if
// another operation holds the claim (or the token fell out of the window),
// it answers Unknown and releases its own claims, so that a later attempt
// can claim the token once no attempt is running. Quorums intersect, so
// at most one operation per token ever stores a new tag. Releasing is safe
// because an operation that releases never stores; a released claim is
// remembered, so a late copy of the releasing operation's query cannot
// claim the token again.
//
// Variant no-claim: a write stores a new tag without claiming its token,
// so a retried or hedged copy is stored twice (caught in about 180 seeds
// of 1000).
//
// Variant no-write-back: a read returns without writing back; a write
// that reached one replica can be read by one reader and then missed by a
// later one, a new-then-old inversion. Finding: the old fixed scenario
// rarely made one (seed 652 of 2000: a write abandoned after storing at
// one replica, read, then missed); the default sweep's "stall" corner
// (loss, slow nodes, read-heavy, no hedging, reads spread over
// coordinators) catches it in about 11 seeds of 1000.
//
// Finding: a write whose store reached a minority and whose coordinator
// gave up leaves its claims behind, so later attempts answer Unknown and
// the write ends indeterminate (about 40 writes in 1000 seeds of the
// default scenario, none stuck after the faults heal).
//
// Finding: the claim window once kept one eviction mark for all clients
// (window.Shared). On a busy key under clock skew, a client whose clock
// ran 77ms behind made tokens older than the mark, every attempt of its
// write was answered Unknown, and the write ended indeterminate after the
// faults had healed (seed 132 of the default sweep, six clients on one
// key). Claims, stores and releases now carry the writing client, and
// each client keeps its own mark, as register's window does.
//
// Finding (issue 13): a replica once remembered a release only if the
// releasing operation held the claim there. Seed 3296 of the default
// sweep (one key, five clients, hedged writes): two hedged attempts of
// one write each reached a majority, saw the other's claim and gave up;
// one's release reached replica 1 before its own query did (delays are
// drawn per message), found nothing to release, and the query then
// claimed the token there for an operation that was gone. Nothing would
// release it again: every later attempt, in the liveness phase too, saw
// that claim and answered Unknown until the deadline. The same happened
// to a duplicated query arriving after another operation had claimed
// and released the token. A replica now remembers every operation that
// released a token (claim.Gone), whether or not it held the claim, and
// refuses their queries. Safety is unchanged: an operation that
// releases has given up in its query phase and never stores.
package abd

import (
	"slices"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/ballot"
	"github.com/casimlab/casim/protocol/internal/window"
)

type options struct {
	noWriteBack bool
	// noClaim: a write stores a new tag without claiming its token, so a
	// retried or hedged copy is stored a second time under a higher tag.
	noClaim bool
}

func init() {
	ops := []model.Kind{model.Read, model.Write}
	protocol.Register(protocol.Protocol{
		Name:         "abd",
		Description:  "multi-writer ABD register: majority query, then majority store; reads write back",
		Ops:          ops,
		Linearizable: true,
		New:          factory(options{}),
	})
	protocol.Register(protocol.Protocol{
		Name:        "abd/no-write-back",
		Description: "reads return without writing back (new-then-old inversion)",
		Ops:         ops,
		// The inversion needs a write stored at one replica only while
		// two readers pass (1 seed in 2000 of the classic profile).
		New: factory(options{noWriteBack: true}),
	})
	protocol.Register(protocol.Protocol{
		Name:        "abd/no-claim",
		Description: "a write stores a new tag without claiming its token: a retried or hedged write is stored twice",
		Ops:         ops,
		New:         factory(options{noClaim: true}),
	})
}

// Tag orders a register's values: (timestamp, random tie with the
// writer's id).
type Tag = ballot.Ballot

// claim is what a replica knows of one write token: the coordinator
// operation that claimed it, whether that operation released it, the
// tag the write was stored under (zero: not yet), and every operation
// that released the token here (Gone). An operation in Gone gave up and
// will never store, so its late or duplicated query must never claim
// the token: nothing would release it again. Gone is shared, never
// changed in place.
type claim struct {
	Op       uint64
	Released bool
	Tag      Tag
	Gone     []uint64
}

// gone reports whether op released the token here.
func (cl claim) gone(op uint64) bool { return slices.Contains(cl.Gone, op) }

// cell is one key at one replica, persisted whole.
type cell struct {
	Tag     Tag
	Token   protocol.Token // the token of the write that stored the value
	Session protocol.Session
	Has     bool
	V       int64
	Claims  window.Window[claim]
}

type node struct {
	cfg   protocol.Config
	opts  options
	cells map[string]cell
	ops   map[uint64]*op
}

func factory(opts options) protocol.Factory {
	return func(cfg protocol.Config, store protocol.Store) protocol.Node {
		n := &node{cfg: cfg, opts: opts, cells: protocol.LoadAll[cell](store), ops: map[uint64]*op{}}
		return n
	}
}

// Messages.

type query struct {
	Key   string
	Op    uint64
	Claim bool // a write's query: claim Token for Op
	Token protocol.Token
	// Session sent Token: the claim window keeps its eviction mark per
	// session (package window).
	Session protocol.Session
}

// Claim answers to a write's query.
type claimState uint8

const (
	mine    claimState = iota // the token is claimed by the asking operation
	stored                    // the token's write is stored under StoredTag
	foreign                   // another operation holds the claim
	unknown                   // the token may have been evicted
)

type queryResp struct {
	Key       string
	Op        uint64
	Tag       Tag
	Token     protocol.Token
	Session   protocol.Session
	Has       bool
	V         int64
	Claim     claimState
	StoredTag Tag
}

type store struct {
	Key     string
	Op      uint64
	Tag     Tag
	Token   protocol.Token
	Session protocol.Session // the writer's, who sent Token
	Value   int64
}

type storeAck struct {
	Key string
	Op  uint64
}

type release struct {
	Key     string
	Op      uint64
	Token   protocol.Token
	Session protocol.Session
}

func (query) Kind() string     { return "query" }
func (queryResp) Kind() string { return "query-resp" }
func (store) Kind() string     { return "store" }
func (storeAck) Kind() string  { return "store-ack" }
func (release) Kind() string   { return "release" }

func (n *node) save(env *protocol.Env, key string, c cell) {
	n.cells[key] = c
	env.Persist(key, c)
}

func (n *node) onQuery(env *protocol.Env, from protocol.NodeID, m query) {
	c := n.cells[m.Key]
	r := queryResp{Key: m.Key, Op: m.Op, Tag: c.Tag, Token: c.Token, Session: c.Session, Has: c.Has, V: c.V}
	if m.Claim {
		cl, found, known := c.Claims.Lookup(m.Token, m.Session)
		switch {
		case found && !cl.Tag.IsZero():
			r.Claim, r.StoredTag = stored, cl.Tag
		case found && cl.gone(m.Op):
			r.Claim = foreign // released by this one: a late copy
		case found && cl.Op == m.Op && !cl.Released:
			r.Claim = mine
		case found && !cl.Released:
			r.Claim = foreign // held by another
		case !known:
			r.Claim = unknown
		default: // free: never claimed, or released by others
			r.Claim = mine
			c.Claims = c.Claims.With(m.Token, m.Session, claim{Op: m.Op, Gone: cl.Gone})
			n.save(env, m.Key, c)
		}
	}
	env.Send(from, r)
}

// onStore: the higher tag wins; the token's claim records its tag.
func (n *node) onStore(env *protocol.Env, from protocol.NodeID, m store) {
	c := n.cells[m.Key]
	changed := false
	if c.Tag.Less(m.Tag) {
		c.Tag, c.Token, c.Session, c.Has, c.V = m.Tag, m.Token, m.Session, true, m.Value
		changed = true
	}
	if cl, _, _ := c.Claims.Lookup(m.Token, m.Session); cl.Tag.IsZero() {
		c.Claims = c.Claims.With(m.Token, m.Session, claim{Op: cl.Op, Tag: m.Tag})
		changed = true
	}
	if changed {
		n.save(env, m.Key, c)
	}
	env.Send(from, storeAck{Key: m.Key, Op: m.Op})
}

// onRelease records that m.Op gave up: its claim, if it holds one, is
// free, and its queries still in flight or duplicated are refused. The
// release can arrive before the query it releases (a message's delay is
// drawn per message), and another operation can claim and release the
// token in between, so it is remembered whoever holds the claim now.
func (n *node) onRelease(env *protocol.Env, m release) {
	c := n.cells[m.Key]
	cl, found, known := c.Claims.Lookup(m.Token, m.Session)
	if !cl.Tag.IsZero() || cl.gone(m.Op) || (!found && !known) {
		return // stored, already released, or fallen out of the window
	}
	gone := append(slices.Clip(cl.Gone), m.Op)
	if !found || cl.Op == m.Op {
		cl = claim{Op: m.Op, Released: true, Gone: gone}
	} else {
		cl.Gone = gone // another operation holds the claim, or released it
	}
	c.Claims = c.Claims.With(m.Token, m.Session, cl)
	n.save(env, m.Key, c)
}

func (n *node) OnMessage(env *protocol.Env, from protocol.NodeID, m protocol.Message) {
	switch m := m.(type) {
	case query:
		n.onQuery(env, from, m)
	case store:
		n.onStore(env, from, m)
	case release:
		n.onRelease(env, m)
	case queryResp:
		n.onQueryResp(env, from, m)
	case storeAck:
		n.onStoreAck(env, from, m)
	}
}
