package paxos

import (
	"io"
	"maps"
	"slices"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/stateenc"
)

// CloneNode is a deep copy of the replica, for casim explore
// (protocol.Cloner). Proposals' values are immutable (package register)
// and shared, as are the config and the group; each operation is copied,
// its riders pointing at the copies.
func (n *node) CloneNode() protocol.Node {
	c := *n
	c.keys = maps.Clone(n.keys)
	c.ops = make(map[uint64]*op, len(n.ops))
	copies := make(map[*op]*op, len(n.ops))
	var cp func(o *op) *op
	cp = func(o *op) *op {
		if q, ok := copies[o]; ok {
			return q
		}
		q := new(op)
		*q = *o
		copies[o] = q
		q.commitOf = slices.Clone(o.commitOf)
		if o.riders != nil {
			q.riders = make([]*op, len(o.riders), cap(o.riders))
			for i, r := range o.riders {
				q.riders[i] = cp(r)
			}
		}
		return q
	}
	for id, o := range n.ops {
		c.ops[id] = cp(o)
	}
	c.lanes = n.lanes.Clone()
	c.deference = n.deference.Clone()
	return &c
}

// EncodeState writes a key's acceptor record as it is persisted.
func (s acceptorState) EncodeState(w io.Writer) {
	e := stateenc.New(w)
	e.Ballot(s.Promised)
	encodeProposal(e, s.Accepted)
	encodeProposal(e, s.Committed)
}
