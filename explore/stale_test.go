package explore

import (
	"maps"
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
//
// A second set of walks, with one operation per client and no retries,
// retires the replicas no request can reach (protocol.Retirer: the third
// replica from the start, the others once their request arrived), whose
// refused prepares and proposals and old commits may then only answer:
// delivering one must leave the replica's encoding as it was. After a
// message that only answered (up to 60 per protocol), the walk takes the
// same random steps with and without it: every replica must encode alike
// in both, for what an encoding leaves out must never be read.
func TestStaleMessagesAreNoops(t *testing.T) {
	checked, answered, retiredAnswered, followed := 0, 0, 0, 0
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
			retiring := NewConfig(p, 2, 1)
			retiring.Crashes, retiring.Dups, retiring.Resolve = 1, 1, false
			retiring.NoReplicaTimers, retiring.DeadlineNs, retiring.MinLatencyNs = true, 0, 0
			retiring.unreduced = true
			rng := rand.New(rand.NewPCG(11, uint64(len(p.Name))))
			walks := 20
			if raceEnabled || testing.Short() {
				walks = 3
			}
			followedHere := 0
			for walk := range 2 * walks {
				cfg := cfg
				if walk >= walks {
					cfg = retiring
				}
				m := newMachine(cfg)
				m.retireUnreduced = walk >= walks
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
								if w.reps[x.to].retired {
									retiredAnswered++
								}
								c := w.clone()
								_, err := c.apply(ch)
								require.NoError(t, err)
								// By the replica's own encoding: a retired
								// replica's refusal notes what it leaves out.
								before, after := w.reps[x.to], c.reps[x.to]
								require.Equal(t, stateHash(before.node, false), stateHash(after.node, false), "step %d: %s only answers, but changed its replica", step, w.describe(ch))
								require.Equal(t, before.store.hash(false), after.store.hash(false), "step %d: %s only answers, but changed its records", step, w.describe(ch))
								for _, y := range c.msgs {
									if slices.ContainsFunc(w.msgs, func(z msg) bool { return z.hash == y.hash }) {
										continue
									}
									require.Equal(t, x.from, y.to, "step %d: %s only answers, but sent to another", step, w.describe(ch))
									require.True(t, c.reps[y.to].node.(protocol.Staleness).Stale(protocol.NodeID(y.from), y.m),
										"step %d: %s answered with %s, which its sender does not ignore", step, w.describe(ch), y.m.Kind())
								}
								if followedHere < 60 {
									// What the replica left out of its encoding
									// (a retired one's refusals, say) must never
									// be read: both worlds go on alike.
									followed++
									followedHere++
									followAlike(t, rng, w, c, x.hash, 60)
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
	require.Greater(t, retiredAnswered, 10, "too few requests only answered at a retired replica met to check anything")
	require.Greater(t, followed, 10, "too few retired replicas followed")
	t.Logf("%d stale messages, %d only answered (%d at a retired replica, %d followed)", checked, answered, retiredAnswered, followed)
}

// hashWithout is the hash of c, which is w after a delivery, with the
// delivered message put back: equal to w's when the delivery did nothing.
func hashWithout(c, w *world) uint64 {
	d := c.clone()
	d.msgs = w.msgs
	return d.hash()
}

// followAlike takes the same random steps from w and from c, which is w
// after delivering message x that only answered, and requires every
// replica to encode alike in both, the same history, and the same
// messages in flight but for x in w and x's answers in c, at each step.
func followAlike(t *testing.T, rng *rand.Rand, w, c *world, x uint64, steps int) {
	t.Helper()
	// The multiset difference: what w has in flight that c has not, and
	// what c has that w has not.
	diff := func(a, b []msg) map[uint64]int {
		d := map[uint64]int{}
		for _, m := range a {
			d[m.hash]++
		}
		for _, m := range b {
			if d[m.hash] > 0 {
				d[m.hash]--
			}
		}
		maps.DeleteFunc(d, func(_ uint64, n int) bool { return n == 0 })
		return d
	}
	answers := diff(c.msgs, w.msgs)
	for step := range steps {
		var both []Choice
		wc := w.choices(nil)
		for _, ch := range c.choices(nil) {
			if slices.Contains(wc, ch) && answers[ch.Hash] == 0 {
				both = append(both, ch)
			}
		}
		if len(both) == 0 {
			return
		}
		ch := both[rng.IntN(len(both))]
		desc := w.describe(ch)
		w, c = w.clone(), c.clone()
		_, err := w.apply(ch)
		require.NoError(t, err)
		_, err = c.apply(ch)
		require.NoError(t, err)
		for i := range w.reps {
			require.Equal(t, stateHash(w.reps[i].node, false), stateHash(c.reps[i].node, false),
				"%d steps after a message that only answered (%s): n%d differs", step+1, desc, i)
		}
		require.Equal(t, map[uint64]int{x: 1}, diff(w.msgs, c.msgs), "%d steps after a message that only answered (%s)", step+1, desc)
		require.Equal(t, answers, diff(c.msgs, w.msgs), "%d steps after a message that only answered (%s)", step+1, desc)
		require.Equal(t, w.histHash, c.histHash)
	}
}
