package explore

import (
	"math/rand/v2"
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
	checked := 0
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
			for range 20 {
				m := newMachine(cfg)
				w := m.initial()
				for step := 0; step < 120; step++ {
					R := int32(cfg.Replicas)
					for _, x := range w.msgs {
						var stale bool
						if x.to >= R {
							stale = w.staleReply(int(x.to-R), x.m)
						} else {
							stale = w.reps[x.to].node.(protocol.Staleness).Stale(protocol.NodeID(x.from), x.m)
						}
						if !stale || x.earliestNs > w.nowNs {
							continue
						}
						checked++
						c := w.clone()
						out, err := c.apply(Choice{Kind: Deliver, Hash: x.hash})
						require.NoError(t, err)
						require.True(t, out.noop, "step %d: %s is stale but delivering it did something", step, w.describe(Choice{Kind: Deliver, Hash: x.hash}))
						require.Equal(t, w.hash(), hashWithout(c, w), "step %d: %s", step, w.describe(Choice{Kind: Deliver, Hash: x.hash}))
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
	require.Greater(t, checked, 100, "too few stale messages met to check anything")
}

// hashWithout is the hash of c, which is w after a delivery, with the
// delivered message put back: equal to w's when the delivery did nothing.
func hashWithout(c, w *world) uint64 {
	d := c.clone()
	d.msgs = w.msgs
	return d.hash()
}
