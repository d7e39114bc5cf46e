package bench_test

import (
	"fmt"

	"github.com/casimlab/casim/bench"
	_ "github.com/casimlab/casim/protocol/all" // register the protocols
)

// Measure a sweep of 20 paxos seeds on 2 workers. The figures depend on
// the machine; what was run does not.
func ExampleSweep() {
	r, err := bench.Sweep(20, 2)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Name, r.Events, r.SeedsPerS > 0)
	// Output:
	// sweep-2w 87106 true
}
