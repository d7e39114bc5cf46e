package explore

import (
	"slices"

	"github.com/casimlab/casim/protocol"
)

// Eager deliveries: a persistent set of one step (Godefroid, LNCS 1032,
// chapter 4). Where sleep sets apply (no step moves the clock) and no
// crash or duplicate can come, a state with a delivery in flight to a
// retired replica that the replica calls eager (protocol.Eager: it
// commutes with every step that can come before it, and lies on no
// cycle) is expanded by that delivery alone: every other order reaches
// the same states after it. Unlike sleep sets, this skips states, not
// only steps; the histories reached stay the same, which
// TestEagerKeepsHistories checks against the search without it (and a
// rule that is not eager, every answer to a coordinator taken first,
// makes it fail). A delivery asleep is not taken eagerly: the state is
// then expanded as usual.

// eager reports whether the search takes eager deliveries.
func (c Config) eager() bool {
	return c.sleepSets() && c.Crashes == 0 && c.Dups == 0 && !c.NoEager
}

// eagerChoice returns the first of chs that is an eager delivery, unless
// it is asleep.
func (w *world) eagerChoice(chs []Choice, asleep []sleeper) (Choice, bool) {
	cfg := w.m.cfg
	if !cfg.eager() {
		return Choice{}, false
	}
	R := int32(cfg.Replicas)
	for _, ch := range chs {
		if ch.Kind != Deliver {
			continue
		}
		i := slices.IndexFunc(w.msgs, func(m msg) bool { return m.hash == ch.Hash })
		m := w.msgs[i]
		if m.to >= R || m.from >= R || !w.reps[m.to].retired {
			continue
		}
		if cfg.eagerRule != nil {
			if !cfg.eagerRule(m.m) {
				continue
			}
		} else if e, ok := w.reps[m.to].node.(protocol.Eager); !ok || !e.Eager(protocol.NodeID(m.from), m.m) {
			continue
		}
		if slices.ContainsFunc(asleep, func(z sleeper) bool { return z.hash == ch.Hash }) {
			return Choice{}, false
		}
		return ch, true
	}
	return Choice{}, false
}
