package explore

import "slices"

// Sleep sets (Godefroid, "Partial-Order Methods for the Verification of
// Concurrent Systems", LNCS 1032, 1996, chapter 5). Two deliveries to
// different replicas commute when no time passes: each changes only its
// own replica (and puts messages in flight), reads only its replica and
// the message, and draws its randomness from its replica, incarnation
// and input; the messages either leaves stale are messages to its own
// replica (dropStale). So from a state s where both are enabled, "a then
// b" and "b then a" reach the same state, and the search need take the
// second order's last step only if the first order was not taken: when
// the successor s·a is expanded, b (explored from s before a, and
// independent of a) is asleep there, and stays asleep along steps
// independent of it. Sleep sets prune steps, never states: every state
// reachable is still reached (the theorem of the method), which
// TestSleepSetsKeepStates checks by counting.
//
// With states merged by hash, a state can be reached again with a
// smaller sleep set than the one it was expanded with; it is then
// expanded again with the intersection (state caching with sleep sets,
// Godefroid's section 5.3), in the next level. Such a second expansion
// may reach a state at a level below its shortest distance, so a
// counterexample found with sleep sets is shortest up to those.
//
// Applies only when no step moves the clock (Config.timeless): time is
// read by every handler, and with it no two steps commute. Every other
// step (an invocation, a reply, a duplicate, a crash) is taken as
// dependent on all.

// timeless reports whether no step can move the model's clock: no
// latency between replicas, no replica timers, and no client timers (no
// deadline, no retries).
func (c Config) timeless() bool {
	return c.MinLatencyNs == 0 && c.NoReplicaTimers && c.DeadlineNs == 0 && c.Retries == 0
}

// sleepSets reports whether the search uses sleep sets: the exact
// breadth-first search without a depth bound, in a timeless model.
func (c Config) sleepSets() bool {
	return !c.NoSleepSets && !c.unreduced && c.timeless() && !c.DFS && c.Delays < 0 && c.MaxDepth == 0
}

// sleeper is a delivery asleep: the message's hash and its replica.
type sleeper struct {
	hash uint64
	to   int32
}

// sleepStore keeps each state's sleep set, packed: state id's set is
// hashes[off[id] : off[id]+n[id]] with the replicas in tos beside them
// (9 bytes a step asleep, where a sleeper takes 16 with padding: the
// sets are most of what the search keeps). A set only shrinks
// (intersections), in place.
type sleepStore struct {
	off      []uint32
	n        []uint8
	expanded []bool
	hashes   []uint64
	tos      []uint8 // replicas are numbered below 64 (Config.Validate)
}

func (st *sleepStore) add(z []sleeper) {
	if len(z) > 255 {
		z = z[:255] // fewer asleep: more steps taken, never fewer states
	}
	st.off = append(st.off, uint32(len(st.hashes)))
	st.n = append(st.n, uint8(len(z)))
	st.expanded = append(st.expanded, false)
	for _, s := range z {
		st.hashes = append(st.hashes, s.hash)
		st.tos = append(st.tos, uint8(s.to))
	}
}

// get appends id's set to buf.
func (st *sleepStore) get(id int32, buf []sleeper) []sleeper {
	o := st.off[id]
	for i := o; i < o+uint32(st.n[id]); i++ {
		buf = append(buf, sleeper{st.hashes[i], int32(st.tos[i])})
	}
	return buf
}

// intersect narrows id's set to those also in z, and reports whether it
// lost any.
func (st *sleepStore) intersect(id int32, z []sleeper) bool {
	o, n := st.off[id], uint32(st.n[id])
	k := o
	for i := o; i < o+n; i++ {
		if slices.Contains(z, sleeper{st.hashes[i], int32(st.tos[i])}) {
			st.hashes[k], st.tos[k] = st.hashes[i], st.tos[i]
			k++
		}
	}
	st.n[id] = uint8(k - o)
	return k < o+n
}

// replicaDelivery reports whether ch delivers a message to a replica,
// and which, in w.
func (w *world) replicaDelivery(ch Choice) (int32, bool) {
	if ch.Kind != Deliver {
		return 0, false
	}
	i := slices.IndexFunc(w.msgs, func(m msg) bool { return m.hash == ch.Hash })
	if i < 0 || w.msgs[i].to >= int32(w.m.cfg.Replicas) {
		return 0, false
	}
	return w.msgs[i].to, true
}
