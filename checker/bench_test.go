package checker

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// syntheticHistory generates a linearizable history of nOps operations over
// nKeys keys from `clients` concurrent clients: each operation takes effect
// at its completion, which lies inside its interval. Written values are
// unique, as in casim's workloads.
func syntheticHistory(seed uint64, nOps, nKeys, clients int) []history.Event {
	rng := rand.New(rand.NewPCG(seed, 7))
	state := make([]model.State, nKeys)
	open := make([]*history.Event, clients)
	var events []history.Event
	next := int64(1)
	done := 0
	for done < nOps {
		c := rng.IntN(clients)
		if open[c] == nil {
			k := rng.IntN(nKeys)
			e := history.Event{Type: history.Invoke, Process: c, F: model.Kind(rng.IntN(3)), Key: fmt.Sprintf("k%d", k)}
			switch e.F {
			case model.Write:
				e.Has, e.Value = true, next
				next++
			case model.Cas:
				e.Has, e.Expected, e.Value = true, state[k].Value, next
				if rng.IntN(3) == 0 {
					e.Expected = next + 1000000 // will fail its compare
				}
				next++
			}
			events = append(events, e)
			open[c] = &events[len(events)-1]
			continue
		}
		inv := *open[c]
		open[c] = nil
		var k int
		fmt.Sscanf(inv.Key, "k%d", &k)
		e := inv
		e.Type = history.Ok
		switch inv.F {
		case model.Read:
			e.Has, e.Value = state[k].Has, state[k].Value
		case model.Write:
			state[k] = model.State{Has: true, Value: inv.Value}
		case model.Cas:
			if state[k].Has && state[k].Value == inv.Expected {
				state[k] = model.State{Has: true, Value: inv.Value}
			} else {
				e.Type = history.Fail
			}
		}
		events = append(events, e)
		done++
	}
	return events
}

func TestSyntheticHistoryIsLinearizable(t *testing.T) {
	events := syntheticHistory(1, 5000, 50, 20)
	r, err := Check(context.Background(), events, 0)
	if err != nil || r.Verdict != Linearizable {
		t.Fatalf("verdict %s, %v", r.Verdict, err)
	}
}

// BenchmarkCheck100k checks a 100,000-operation history over 1,000 keys
// with Check; BenchmarkPorcupine100k hands the same operations to
// porcupine directly (its own per-key partitioning), the baseline casim
// must stay within 20% of.
func BenchmarkCheck100k(b *testing.B) {
	events := syntheticHistory(1, 100000, 1000, 50)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := CheckWith(context.Background(), events, Options{})
		if err != nil || r.Verdict != Linearizable {
			b.Fatalf("verdict %s, %v", r.Verdict, err)
		}
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkPorcupine100k(b *testing.B) {
	events := syntheticHistory(1, 100000, 1000, 50)
	ops, err := Operations(events)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if !porcupine.CheckOperations(model.Porcupine(), ops) {
			b.Fatal("not linearizable")
		}
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkParseJSONL100k parses the same history as JSON Lines.
func BenchmarkParseJSONL100k(b *testing.B) {
	var buf bytes.Buffer
	if err := history.WriteJSONL(&buf, syntheticHistory(1, 100000, 1000, 50)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := history.ParseJSONL(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkOperations100k is the conversion of events into porcupine
// operations that any caller of porcupine pays and BenchmarkPorcupine100k
// leaves out: Check100k ≈ Operations100k + Porcupine100k means the checker
// adds nothing of its own.
func BenchmarkOperations100k(b *testing.B) {
	events := syntheticHistory(1, 100000, 1000, 50)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Operations(events); err != nil {
			b.Fatal(err)
		}
	}
}
