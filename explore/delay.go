package explore

// Delay bounding (Emmi, Qadeer and Rakamarić, "Delay-bounded scheduling",
// POPL 2011). The exact search over every order of events is out of
// reach beyond a few steps of a real protocol: three replicas that
// broadcast every phase have a dozen messages in flight, and the
// orders multiply (paxos with two clients of one operation each has
// over 300,000 states within ten steps). Most bugs need only a few
// events out of the natural order, so with Config.Delays = d the search
// follows a default schedule — deliver the oldest message in flight;
// with none, let the lowest-numbered idle client invoke; with none, fire
// the timer that falls due first — and may deviate from it at most d
// times: each other choice costs one delay, and so does losing a message
// (Lose), which lets the schedule go on past it. Breadth first, a
// counterexample is still a shortest one among those within d delays.
// The search is complete only for what the bound allows, so it never
// reports complete.

// defaultChoice is the step of the default schedule from w, and whether
// there is one.
func (w *world) defaultChoice() (Choice, bool) {
	if len(w.msgs) > 0 {
		return Choice{Kind: Deliver, Hash: w.msgs[0].hash}, true
	}
	for ci := range w.cls {
		if c := &w.cls[ci]; !c.active && c.next < len(w.m.plans[ci]) {
			return Choice{Kind: Invoke, N: ci}, true
		}
	}
	best, bestDue := Choice{}, int64(-1)
	for _, t := range w.tims {
		if w.m.cfg.NoReplicaTimers {
			break
		}
		if bestDue < 0 || t.dueNs < bestDue || (t.dueNs == bestDue && t.hash < best.Hash) {
			best, bestDue = Choice{Kind: Timer, Hash: t.hash}, t.dueNs
		}
	}
	for ci := range w.cls {
		if k := w.cls[ci].nextTimer(); k >= 0 && (bestDue < 0 || w.cls[ci].dueNs[k] < bestDue) {
			best, bestDue = Choice{Kind: ClientTimer, N: ci, Sub: k}, w.cls[ci].dueNs[k]
		}
	}
	return best, bestDue >= 0
}

// orderHash is the order of the messages in flight, which the default
// schedule depends on: part of the state under delay bounding.
func (w *world) orderHash() uint64 {
	h := newHasher()
	for _, m := range w.msgs {
		h.word(m.hash)
	}
	return h.sum()
}
