package paxos

import (
	"io"
	"slices"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/stateenc"
)

// EncodeState writes the replica's canonical state for casim explore
// (protocol.StateEncoder): two replicas that write the same words behave
// alike on every future input. Left out, as the reflection walk would
// not: what never changes for a replica (cfg, opts, group, quorum,
// groupCommit: explore compares a replica only with itself), and what an
// operation's phase no longer reads (encodeOp), and, once the replica is
// retired, what no operation left will read (retire.go). TestEncodeStateCoversFields
// fails when a field is added to node or op without a decision here.
func (n *node) EncodeState(w io.Writer) {
	e := stateenc.New(w)
	ks := stateenc.SortedKeys(e, n.keys)
	e.Word(uint64(len(ks)))
	for _, k := range ks {
		s := n.keys[k]
		e.String(k)
		e.Ballot(s.Promised)
		encodeProposal(e, s.Accepted)
		encodeProposal(e, s.Committed)
	}
	e.Bool(n.retired)
	if n.retired && len(n.ops) == 0 {
		// No operation will begin again: the coordinator's state is
		// dead (retire.go). Lanes are empty with no operation.
		n.lanes.EncodeState(e)
		return
	}
	ids := make([]uint64, 0, len(n.ops))
	for id := range n.ops {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	e.Word(uint64(len(ids)))
	for _, id := range ids {
		n.encodeOp(e, n.ops[id])
	}
	e.Ballot(n.lastBallot)
	n.rounds.EncodeState(e)
	n.lanes.EncodeState(e)
	if n.firstAttempts() {
		n.deference.EncodeState(e, n.cfg.Self)
	} else {
		n.deference.EncodeWaits(e) // grants and refusals are dead (retire.go)
	}
}

// encodeOp writes an operation: always what identifies it, its request
// and phase; but for a committing operation, its ticket, its timing (rtt.Round), the
// highest promise it has seen (the floor of its next ballot) and the
// rival it last deferred to (begin reads both); then only what its phase
// still reads.
// begin resets the aggregates of the prepare phase (inProgress, newest,
// promisedBefore, commitOf, promisers) before any phase reads them again, and enter
// resets the tally; a proposal is read only to commit it once accepted,
// a reply and the riders only when the commit completes; ride rewrites
// a queued operation's reply before it is read, so it is written with the
// operation it rides on. A backing-off or queued operation has no round
// under way: messages of its past rounds are stale (Stale), and begin
// draws its next ballot from lastBallot and highestPromise. askedHold is
// never written: only Eager reads it (explore's choice of a step, not
// the replica's behaviour), and false there says that no hold carries
// the operation's ticket and no prepare in flight asks for one, which a
// state encoded alike then shares.
func (n *node) encodeOp(e *stateenc.W, o *op) {
	e.Word(o.id)
	e.Int(int64(o.client))
	e.Request(o.req)
	e.Word(uint64(o.phase))
	if o.phase == phCommit {
		// Its proposal was chosen: it finishes (chosen) when a quorum
		// acknowledges the commit or when its current timer fires, and
		// never begins a round again. What only begin and the round's
		// learning read (began, the attempts, the round's start and
		// timeout, highestPromise, deferredTo) is dead; the timer's
		// sequence number is not, nor the ticket (finish releases the
		// operation's hold by it).
		e.Word(o.TimerSeq)
		e.Ballot(o.ticket)
		e.Ballot(o.ballot)
		o.tally.EncodeState(e)
		encodeRide(e, o)
		return
	}
	e.Ballot(o.ticket)
	e.Bool(o.began)
	o.Round.EncodeState(e)
	e.Ballot(o.highestPromise)
	e.Ballot(o.deferredTo)
	switch o.phase {
	case phBackoff, phQueued:
		return
	}
	e.Ballot(o.ballot)
	o.tally.EncodeState(e)
	switch o.phase {
	case phPrepare:
		e.Bool(o.heldSeen)
		encodeProposal(e, o.inProgress)
		encodeProposal(e, o.newest)
		n.encodeBefore(e, o)
		e.Word(uint64(len(o.commitOf)))
		for _, b := range o.commitOf {
			e.Ballot(b)
		}
		e.Word(o.promisers)
	case phRead:
		encodeProposal(e, o.newest)
		n.encodeBefore(e, o)
	case phRepairPropose:
		encodeProposal(e, o.proposal)
	case phPropose:
		encodeProposal(e, o.proposal)
		encodeRide(e, o)
	case phRepairCommit, phFixCommit:
		if o.phase == phRepairCommit && o.plainRead() {
			encodeProposal(e, o.proposal) // its answer (repaired)
		}
	default: // phMixedWrite, and any phase added later: everything
		e.Bool(o.heldSeen)
		encodeProposal(e, o.inProgress)
		encodeProposal(e, o.newest)
		e.Ballot(o.promisedBefore)
		for _, b := range o.commitOf {
			e.Ballot(b)
		}
		e.Word(o.promisers)
		encodeProposal(e, o.proposal)
		e.Reply(o.reply)
		for _, q := range o.riders {
			e.Word(q.id)
			e.Reply(q.reply)
		}
	}
}

// encodeRide writes what a chosen proposal answers: the operation's
// reply and its riders'.
func encodeRide(e *stateenc.W, o *op) {
	e.Reply(o.reply)
	e.Word(uint64(len(o.riders)))
	for _, q := range o.riders {
		e.Word(q.id)
		e.Reply(q.reply)
	}
}

// encodeBefore writes o.promisedBefore where it is read: by paxos2's
// quiet reads alone (decide), so only for paxos2.
func (n *node) encodeBefore(e *stateenc.W, o *op) {
	if n.opts.v2 {
		e.Ballot(o.promisedBefore)
	}
}

func encodeProposal(e *stateenc.W, p Proposal) {
	e.Ballot(p.Ballot)
	e.Value(p.Value)
}

// Messages encode themselves too, for explore's hash of the messages in
// flight (a type's fields, in order; explore adds the type).

func (m prepare) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	e.Ballot(m.Ballot)
	e.Ballot(m.Ticket)
	e.Int(m.RoundNs)
}

func (m promise) EncodeState(w io.Writer) { m.encode(w, true) }

// encode writes the promise, its Before only if before.
func (m promise) encode(w io.Writer, before bool) {
	e := header(w, m.Key, m.Op)
	e.Ballot(m.Ballot)
	e.Bool(m.OK)
	e.Ballot(m.Promised)
	e.Bool(m.Held)
	if before {
		e.Ballot(m.Before)
	}
	encodeProposal(e, m.Accepted)
	encodeProposal(e, m.Committed)
}

// EncodeMessage writes a message to this replica as it reads it
// (protocol.MessageEncoder): a promise without its Before, which only
// paxos2's quiet reads read (promisedBefore, decide), unless this is
// paxos2. Every other message as it encodes itself.
func (n *node) EncodeMessage(m protocol.Message, w io.Writer) bool {
	p, ok := m.(promise)
	if !ok || n.opts.v2 {
		return false
	}
	p.encode(w, false)
	return true
}

func (m readReq) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	e.Ballot(m.Ballot)
}

func (m readResp) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	e.Ballot(m.Ballot)
	encodeProposal(e, m.Committed)
}

func (m propose) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	encodeProposal(e, m.Proposal)
}

func (m accepted) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	e.Ballot(m.Ballot)
	e.Bool(m.OK)
	e.Ballot(m.Promised)
}

func (m commit) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	encodeProposal(e, m.Proposal)
}

func (m committed) EncodeState(w io.Writer) {
	e := header(w, m.Key, m.Op)
	e.Ballot(m.Ballot)
}

// header starts a message's encoding with what every message carries:
// its key and its coordinator's operation.
func header(w io.Writer, key string, op uint64) *stateenc.W {
	e := stateenc.New(w)
	e.String(key)
	e.Word(op)
	return e
}
