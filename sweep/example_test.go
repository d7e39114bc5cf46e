package sweep_test

import (
	"context"
	"fmt"

	_ "github.com/casimlab/casim/protocol/all" // register the protocols
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// Sweep ten seeds of a broken Paxos variant and list the seeds whose
// history is not linearizable.
func ExampleRun() {
	sum, err := sweep.Run(context.Background(), sweep.Config{
		Protocol: "paxos/accept-any-ballot",
		Start:    1,
		Seeds:    sweep.Range{Start: 1, Count: 10}, // seeds 1..10
		Workers:  2,
		Scenario: func(seed uint64) (sim.Scenario, error) {
			return sim.Scenario{Config: sim.DefaultConfig("paxos/accept-any-ballot", seed)}, nil
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Seeds, "seeds,", sum.Ops, "operations; not linearizable:", sum.Failing)
	// Output:
	// 10 seeds, 1000 operations; not linearizable: [2 4 5 6 7 8 9 10]
}

// Run one seed and check its history.
func ExampleSimulate() {
	o, err := sweep.Simulate(sim.Scenario{Config: sim.DefaultConfig("paxos", 3)}, sim.Options{}, 0, true)
	if err != nil {
		panic(err)
	}
	fmt.Println(o.Protocol, "seed", o.Seed, o.Verdict, o.Ops, "ops, trace", o.TraceHash)
	// Output:
	// paxos seed 3 ok 100 ops, trace f1c43d3088b5d8f8
}

// Each runs jobs on parallel workers and hands results back in job order.
func ExampleEach() {
	xs := []int{1, 2, 3, 4}
	squares := 0
	n, err := sweep.Each(context.Background(), 4, len(xs), func(i int) (int, error) { return xs[i] * xs[i], nil },
		func(i, sq int) { squares += sq; fmt.Println(i, sq) })
	fmt.Println(n, err, squares)
	// Output:
	// 0 1
	// 1 4
	// 2 9
	// 3 16
	// 4 <nil> 30
}
