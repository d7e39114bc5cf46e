package explore

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/protocol"
	_ "github.com/casimlab/casim/protocol/all"
	"github.com/casimlab/casim/sim"
)

// The search copies a replica by reflection before each handler. Random
// paths through every registered protocol, taken once with copies (as the
// search does) and once by running the handlers on the replicas
// themselves, must reach the same state at every step: a copy that missed
// a field, or shared what it should have copied, would diverge.
func TestCloneFidelity(t *testing.T) {
	for _, p := range protocol.All() {
		t.Run(p.Name, func(t *testing.T) {
			cfg := NewConfig(p, 2, 2)
			cfg.Crashes, cfg.Dups = 1, 1
			if !p.ResolveAllowed() {
				cfg.Resolve = false
			}
			rng := rand.New(rand.NewPCG(7, uint64(len(p.Name))))
			for range 5 {
				copied := newMachine(cfg)
				inPlace := newMachine(cfg)
				inPlace.inPlace = true
				a, b := copied.initial(), inPlace.initial()
				for step := 0; step < 80; step++ {
					chs := a.choices(nil)
					if len(chs) == 0 {
						break
					}
					ch := chs[rng.IntN(len(chs))]
					prev, prevHash := a, a.hash()
					for i := range prev.reps { // rehash: a shared node changed would show
						prev.reps[i].rehash(copied)
					}
					a = a.clone()
					_, err := a.apply(ch)
					require.NoError(t, err)
					_, err = b.apply(ch)
					require.NoError(t, err)
					require.Equal(t, b.hash(), a.hash(), "step %d: %s", step, a.describe(ch))
					for i := range prev.reps {
						prev.reps[i].rehash(copied)
					}
					require.Equal(t, prevHash, prev.hash(), "step %d: the predecessor changed with its successor", step)
				}
			}
		})
	}
}

// A counterexample written as a scenario reads back and replays to the
// same violation.
func TestScenarioRoundTrip(t *testing.T) {
	p := protocol.Protocol{Name: "explore-toy", Ops: toy.Ops, New: toy.New}
	if _, err := protocol.Lookup(p.Name); err != nil {
		protocol.Register(p)
	}
	c := toyConfig(2, "write;read")
	c.Protocol = p
	r, err := Explore(context.Background(), c)
	require.NoError(t, err)
	require.Equal(t, checker.Illegal, r.Verdict)
	sc, err := Scenario(c, r.Path)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, sc.WriteJSON(&buf))
	back, err := sim.ReadScenario(&buf)
	require.NoError(t, err)
	cfg, path, err := FromScenario(back)
	require.NoError(t, err)
	require.Equal(t, r.Path, path)
	rep, err := Replay(context.Background(), cfg, path)
	require.NoError(t, err)
	require.Equal(t, checker.Illegal, rep.Check.Verdict)
	require.Len(t, rep.Steps, 6)

	// A choice that is not open in its state is refused.
	_, err = Replay(context.Background(), cfg, append([]Choice{{Kind: Crash, N: 0}}, path...))
	require.Error(t, err)
}
