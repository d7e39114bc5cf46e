package explore

import "github.com/casimlab/casim/protocol"

// Retirement. A replica that no client request can reach again (none in
// flight to it, no client attempt left that goes to it) is retired
// (protocol.Retirer): it may then leave out of its encoding and its
// staleness what only a future request would read, so that states which
// differ only there merge (paxos: what its coordinator remembers of
// rivals' rounds, for operations it has yet to begin). Retirement is a
// function of the state and never undone, so it commutes with the other
// steps as dropStale does; a replica restarted is retired again.

// reachable returns the replicas (a bit each) that a client request may
// still reach: the requests in flight, each client's attempts to come
// (its operations not yet invoked, their retries, and a resolving read
// of the current one) and, with retries, every replica.
func (w *world) reachable() uint64 {
	cfg := w.m.cfg
	R := int32(cfg.Replicas)
	all := uint64(1)<<uint(cfg.Replicas) - 1
	var bits uint64
	for _, m := range w.msgs {
		if m.from >= R && m.to < R {
			bits |= 1 << uint(m.to)
		}
	}
	resolve := cfg.Resolve && cfg.DeadlineNs > 0
	for ci := range w.cls {
		c := &w.cls[ci]
		more := c.next < len(w.m.plans[ci])
		if cfg.Retries > 0 && (c.active || more) {
			return all
		}
		if c.active && resolve && !c.resolving {
			bits |= 1 << uint(c.coord) // its resolving read goes there
		}
		for j := c.next; j < len(w.m.plans[ci]); j++ {
			bits |= 1 << uint(w.m.plans[ci][j].coordinator(ci, j, cfg.Replicas))
		}
	}
	return bits
}

// retire retires the replicas that no request can reach any more.
func (w *world) retire() {
	if w.m.cfg.unreduced && !w.m.retireUnreduced {
		return
	}
	var reach uint64
	computed := false
	for i, r := range w.reps {
		if r.retired {
			continue
		}
		if _, ok := r.node.(protocol.Retirer); !ok {
			continue
		}
		if !computed {
			reach, computed = w.reachable(), true
		}
		if reach&(1<<uint(i)) != 0 {
			continue
		}
		c := &replica{node: r.node, store: r.store, epoch: r.epoch, retired: true}
		if !w.m.inPlace {
			c.node = cloneNode(r.node, false)
		}
		c.node.(protocol.Retirer).Retire()
		c.rehash(w.m)
		w.reps[i] = c
	}
}
