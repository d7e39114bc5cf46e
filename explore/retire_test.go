package explore

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// A replica is retired exactly when no client request can reach it
// again: with two clients of one operation at n0 and n1, n2 from the
// start, n0 once c0's request has arrived (not when it is sent), and,
// with retries (every replica may get one), none while a client has an
// attempt left.
func TestRetireOnlyUnreachable(t *testing.T) {
	p, err := protocol.Lookup("paxos")
	require.NoError(t, err)
	retired := func(w *world) []bool {
		var r []bool
		for _, rep := range w.reps {
			r = append(r, rep.retired)
		}
		return r
	}
	step := func(w *world, ch Choice) *world {
		c := w.clone()
		_, err := c.apply(ch)
		require.NoError(t, err)
		return c
	}
	request := func(w *world, to int32) Choice {
		for _, m := range w.msgs {
			if m.to == to && m.from >= int32(w.m.cfg.Replicas) {
				return Choice{Kind: Deliver, Hash: m.hash}
			}
		}
		t.Fatalf("no request in flight to n%d", to)
		return Choice{}
	}

	cfg := NewConfig(p, 2, 1)
	cfg.Crashes = 1
	require.True(t, cfg.Resolve)
	w := newMachine(cfg).initial()
	w = step(w, Choice{Kind: Invoke, N: 0})
	w = step(w, request(w, 0))
	require.Equal(t, []bool{false, false, true}, retired(w), "past its deadline, c0 may send n0 a resolving read")

	cfg.DeadlineNs = 0 // no deadline, no resolving read
	w = newMachine(cfg).initial()
	require.Equal(t, []bool{false, false, true}, retired(w))
	w = step(w, Choice{Kind: Invoke, N: 0})
	require.Equal(t, []bool{false, false, true}, retired(w), "c0's request is in flight to n0")
	w = step(w, request(w, 0))
	require.Equal(t, []bool{true, false, true}, retired(w))
	w = step(w, Choice{Kind: Crash, N: 0})
	require.Equal(t, []bool{true, false, true}, retired(w), "a restarted replica is retired again")

	cfg.Retries = 1
	w = newMachine(cfg).initial()
	require.Equal(t, []bool{false, false, false}, retired(w))
	w = step(w, Choice{Kind: Invoke, N: 0})
	w = step(w, request(w, 0))
	require.Equal(t, []bool{false, false, false}, retired(w), "c0 may retry at n1, c1 at n2")

	cfg.Retries, cfg.Workload = 0, [][]OpSpec{{{Kind: model.Write}, {Kind: model.Write, Coord: 3}}}
	w = newMachine(cfg).initial()
	require.Equal(t, []bool{false, true, false}, retired(w), "c0's second operation goes to n2")
}
