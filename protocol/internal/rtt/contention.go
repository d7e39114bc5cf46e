package rtt

import (
	"maps"
	"slices"
)

// Lanes runs a coordinator's operations on each key one at a time, in
// the order they arrived; operations on different keys run side by side.
// Without it, each request a coordinator receives on a busy key starts
// its own proposer, and a coordinator's proposers preempt each other as
// readily as other coordinators' do: sixteen clients on one key made
// sixteen duelling proposers where there are three coordinators.
type Lanes struct {
	busy    map[string]uint64   // key → the operation running
	waiting map[string][]uint64 // key → the operations queued, oldest first
}

// Enter asks to run op on key: true if it may start now; otherwise it is
// queued, and Leave hands it the key later.
func (l *Lanes) Enter(key string, op uint64) bool {
	if l.busy == nil {
		l.busy, l.waiting = map[string]uint64{}, map[string][]uint64{}
	}
	if _, ok := l.busy[key]; !ok {
		l.busy[key] = op
		return true
	}
	l.waiting[key] = append(l.waiting[key], op)
	return false
}

// Leave ends op's turn on key and returns the next operation to run
// there, if one is queued.
func (l *Lanes) Leave(key string, op uint64) (next uint64, ok bool) {
	if cur, running := l.busy[key]; !running || cur != op {
		return 0, false
	}
	q := l.waiting[key]
	if len(q) == 0 {
		delete(l.busy, key)
		return 0, false
	}
	next, l.waiting[key] = q[0], q[1:]
	if len(l.waiting[key]) == 0 {
		delete(l.waiting, key)
	}
	l.busy[key] = next
	return next, true
}

// Waiting lists the operations queued on key, oldest first. The slice is
// the Lanes' own: read it before the next call.
func (l *Lanes) Waiting(key string) []uint64 { return l.waiting[key] }

// Remove takes a queued op off key's queue (it was served by another
// operation's round).
func (l *Lanes) Remove(key string, op uint64) {
	q := l.waiting[key]
	for i, id := range q {
		if id == op {
			q = append(q[:i:i], q[i+1:]...)
			break
		}
	}
	if len(q) == 0 {
		delete(l.waiting, key)
	} else {
		l.waiting[key] = q
	}
}

// Clone returns a copy of l that shares nothing with it.
func (l *Lanes) Clone() Lanes {
	c := Lanes{busy: maps.Clone(l.busy)}
	if l.waiting != nil {
		c.waiting = make(map[string][]uint64, len(l.waiting))
		for k, q := range l.waiting {
			c.waiting[k] = slices.Clone(q)
		}
	}
	return c
}
