package checker

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// bruteLinearizable decides linearizability by trying every order that
// respects real time, with every indeterminate operation either taking
// effect at some point after its invoke or never. It shares nothing with
// porcupine or with the "return at infinity" trick of model.Step, so it is
// an independent reference for small histories.
func bruteLinearizable(ops []porcupine.Operation) bool {
	placed := make([]bool, len(ops))
	var try func(s model.State, left int) bool
	try = func(s model.State, left int) bool {
		if left == 0 {
			return true
		}
		for i, op := range ops {
			if placed[i] {
				continue
			}
			// op may go next only if no unplaced operation returned
			// before op was invoked.
			minimal := true
			for j, other := range ops {
				if !placed[j] && j != i && other.Output.(model.Output).Status != model.Unknown && other.Return < op.Call {
					minimal = false
					break
				}
			}
			if !minimal {
				continue
			}
			placed[i] = true
			in, out := op.Input.(model.Input), op.Output.(model.Output)
			if ok, next := refStep(s, in, out); ok && try(next, left-1) {
				placed[i] = false
				return true
			}
			if out.Status == model.Unknown && try(s, left-1) { // never took effect
				placed[i] = false
				return true
			}
			placed[i] = false
		}
		return false
	}
	return try(model.State{}, len(ops))
}

// refStep is the register's specification, written out again.
func refStep(s model.State, in model.Input, out model.Output) (bool, model.State) {
	holds := s.Has && s.Value == in.Expected
	switch {
	case in.Kind == model.Read && out.Status == model.Unknown:
		return true, s
	case in.Kind == model.Read:
		return out.Has == s.Has && (!s.Has || out.Value == s.Value), s
	case in.Kind == model.Write:
		return true, model.State{Has: true, Value: in.Value}
	case out.Status == model.CompareFailed:
		return !holds, s
	case out.Status == model.Ok && !holds:
		return false, s
	case holds:
		return true, model.State{Has: true, Value: in.Value}
	}
	return true, s // an indeterminate cas whose compare fails here
}

// randomHistory draws a small one-key history: each operation on its own
// process, random overlaps, values from a tiny range so that they collide.
func randomHistory(rng *rand.Rand, nOps int) []history.Event {
	type point struct {
		at int
		e  history.Event
	}
	var pts []point
	for p := range nOps {
		e := history.Event{Process: p, F: model.Kind(rng.IntN(3)), Key: "k"}
		switch e.F {
		case model.Write:
			e.Has, e.Value = true, int64(rng.IntN(3))
		case model.Cas:
			e.Has, e.Expected, e.Value = true, int64(rng.IntN(3)), int64(rng.IntN(3))
		}
		call := rng.IntN(4 * nOps)
		inv := e
		inv.Type = history.Invoke
		pts = append(pts, point{2 * call, inv})
		done := e
		switch rng.IntN(6) {
		case 0, 1:
			done.Type = history.Info
		case 2:
			done.Type = history.Fail
			if e.F == model.Cas && rng.IntN(3) == 0 {
				done.Error = "unavailable"
			}
		default:
			done.Type = history.Ok
		}
		if done.Type == history.Ok && e.F == model.Read {
			done.Has, done.Value = rng.IntN(4) != 0, int64(rng.IntN(3))
		}
		if done.Type == history.Info && rng.IntN(2) == 0 {
			continue // no completion: info by the end of the file
		}
		pts = append(pts, point{2*(call+1+rng.IntN(2*nOps)) + 1, done})
	}
	slices.SortStableFunc(pts, func(a, b point) int { return a.at - b.at })
	events := make([]history.Event, len(pts))
	for i, p := range pts {
		events[i] = p.e
	}
	return events
}

// TestReduceBruteForce compares, on many small random histories, Check's
// verdict with exhaustive search, and exhaustive search on the reduced
// history with exhaustive search on the full one.
func TestReduceBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2))
	verdicts := map[bool]int{}
	reducedAny := 0
	for i := range 3000 {
		events := randomHistory(rng, 2+rng.IntN(6))
		ops, err := Operations(events)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteLinearizable(ops)
		verdicts[want]++
		kept, dropped := Reduce(ops)
		if dropped > 0 {
			reducedAny++
		}
		if got := bruteLinearizable(kept); got != want {
			t.Fatalf("history %d: reduced history linearizable=%v, full %v\nfull: %+v\nkept: %+v", i, got, want, events, kept)
		}
		r, err := Check(context.Background(), events, 0)
		if err != nil {
			t.Fatal(err)
		}
		if (r.Verdict == Linearizable) != want || r.Verdict == Unknown {
			t.Fatalf("history %d: Check says %s, brute force linearizable=%v\n%+v", i, r.Verdict, want, events)
		}
		if r.Verdict == Illegal {
			checkWitness(t, r)
		}
	}
	if verdicts[true] < 300 || verdicts[false] < 300 || reducedAny < 300 {
		t.Fatalf("weak sample: %d linearizable, %d not, %d reduced", verdicts[true], verdicts[false], reducedAny)
	}
}

// TestReduceKeepsWhatMatters: the cases Reduce must not drop, and those it
// must.
func TestReduceKeepsWhatMatters(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		dropped int
	}{
		{"info read goes", "0 invoke read x\n0 info read x", 1},
		{"unobserved info write goes", "0 invoke write x 5\n0 info write x 5\n1 invoke read x\n1 ok read x nil", 1},
		{"observed info write stays", "0 invoke write x 5\n1 invoke read x\n1 ok read x 5", 0},
		{"info write expected by a cas stays", "0 invoke write x 5\n1 invoke cas x 5 6\n1 ok cas x 5 6", 0},
		{"info write before a failed compare stays", "0 invoke write x 5\n1 invoke cas x 1 2\n1 fail cas x 1 2", 0},
		{"failed compare before the info write's invoke", "1 invoke cas x 1 2\n1 fail cas x 1 2\n0 invoke write x 5", 1},
		{"chain: info cas to 6 goes, then the write of 5 it expected", "0 invoke write x 5\n1 invoke cas x 5 6", 2},
	}
	for _, tt := range tests {
		ops, err := Operations(hist(t, tt.text))
		if err != nil {
			t.Fatal(err)
		}
		if _, dropped := Reduce(ops); dropped != tt.dropped {
			t.Errorf("%s: dropped %d, want %d", tt.name, dropped, tt.dropped)
		}
	}
}
