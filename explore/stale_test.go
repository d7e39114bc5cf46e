package explore

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/protocol"
)

// A message the explorer drops as stale (protocol.Staleness, staleReply)
// must be one whose delivery changes nothing. Random paths through
// paxos and its variants, with a crash and a duplicate allowed, keep
// every message (unreduced); at each state, each message the replica or
// client calls stale is delivered to a copy, which must be a no-op: the
// replica the same by the reflection walk, nothing sent, the client and
// history unchanged. (That it stays so is Stale's argument; the
// searches with and without it reaching the same histories,
// TestReductionsKeepHistories, check the whole.)
func TestStaleMessagesAreNoops(t *testing.T) {
	checked, answered := 0, 0
	for _, p := range protocol.All() {
		if _, ok := p.New(protocol.Config{N: 3}, store{}).(protocol.Staleness); !ok {
			continue
		}
		t.Run(p.Name, func(t *testing.T) {
			cfg := NewConfig(p, 2, 2)
			cfg.Crashes, cfg.Dups, cfg.Retries = 1, 1, 1
			if !p.ResolveAllowed() {
				cfg.Resolve = false
			}
			cfg.unreduced = true
			rng := rand.New(rand.NewPCG(11, uint64(len(p.Name))))
			walks := 20
			if raceEnabled || testing.Short() {
				walks = 3
			}
			for range walks {
				m := newMachine(cfg)
				w := m.initial()
				for step := 0; step < 120; step++ {
					R := int32(cfg.Replicas)
					for _, x := range w.msgs {
						if x.earliestNs > w.nowNs {
							continue
						}
						ch := Choice{Kind: Deliver, Hash: x.hash}
						if x.to >= R {
							if !w.staleReply(int(x.to-R), x.m) {
								continue
							}
						} else {
							to := w.reps[x.to].node.(protocol.Staleness)
							if !to.Stale(protocol.NodeID(x.from), x.m) {
								// The two-party rule: a request that is only
								// answered, whose answers the sender ignores,
								// may change its replica in nothing, and each
								// answer must be stale where it arrives.
								if x.from >= R || !to.AnswersOnly(protocol.NodeID(x.from), x.m) ||
									!w.reps[x.from].node.(protocol.Staleness).Ignores(protocol.NodeID(x.to), x.m) {
									continue
								}
								answered++
								c := w.clone()
								_, err := c.apply(ch)
								require.NoError(t, err)
								require.Equal(t, w.reps[x.to].hash, c.reps[x.to].hash, "step %d: %s only answers, but changed its replica", step, w.describe(ch))
								for _, y := range c.msgs {
									if slices.ContainsFunc(w.msgs, func(z msg) bool { return z.hash == y.hash }) {
										continue
									}
									require.Equal(t, x.from, y.to, "step %d: %s only answers, but sent to another", step, w.describe(ch))
									require.True(t, c.reps[y.to].node.(protocol.Staleness).Stale(protocol.NodeID(y.from), y.m),
										"step %d: %s answered with %s, which its sender does not ignore", step, w.describe(ch), y.m.Kind())
								}
								continue
							}
						}
						checked++
						c := w.clone()
						out, err := c.apply(ch)
						require.NoError(t, err)
						require.True(t, out.noop, "step %d: %s is stale but delivering it did something", step, w.describe(ch))
						require.Equal(t, w.hash(), hashWithout(c, w), "step %d: %s", step, w.describe(ch))
					}
					chs := w.choices(nil)
					if len(chs) == 0 {
						break
					}
					c := w.clone()
					_, err := c.apply(chs[rng.IntN(len(chs))])
					require.NoError(t, err)
					w = c
				}
			}
		})
	}
	require.Greater(t, checked, 10, "too few stale messages met to check anything")
	require.Greater(t, answered, 10, "too few requests only answered met to check anything")
}

// hashWithout is the hash of c, which is w after a delivery, with the
// delivered message put back: equal to w's when the delivery did nothing.
func hashWithout(c, w *world) uint64 {
	d := c.clone()
	d.msgs = w.msgs
	return d.hash()
}
