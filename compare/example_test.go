package compare_test

import (
	"context"
	"fmt"

	"github.com/casimlab/casim/compare"
	_ "github.com/casimlab/casim/protocol/all" // register the protocols
)

// Compare Paxos and last-write-wins on the same five seeds without
// faults: round trips and messages per operation.
func Example() {
	contenders, err := compare.ParseContenders("paxos,lww", "", "", "")
	if err != nil {
		panic(err)
	}
	scenarios, err := compare.Scenarios("", "none")
	if err != nil {
		panic(err)
	}
	c, err := compare.New(1, 5, scenarios, contenders, compare.Sizes{Clients: 1})
	if err != nil {
		panic(err)
	}
	if err := c.Run(context.Background(), nil); err != nil {
		panic(err)
	}
	for _, r := range c.Rows() {
		fmt.Printf("%-5s %-5s %d round trips, %.1f messages per op, %d violations\n",
			r.Protocol, r.Op, r.RoundTrips, r.MessagesPerOp, r.Violations)
	}
	// Output:
	// paxos read  4 round trips, 18.0 messages per op, 0 violations
	// paxos write 4 round trips, 18.0 messages per op, 0 violations
	// paxos cas   4 round trips, 18.0 messages per op, 0 violations
	// lww   read  1 round trips, 6.1 messages per op, 0 violations
	// lww   write 1 round trips, 6.0 messages per op, 0 violations
}

// The standard scenario set, each a --faults setting.
func ExampleSets() {
	for _, s := range compare.Sets["standard"][:3] {
		fmt.Printf("%s: --faults %s\n", s.Name, s.Spec)
	}
	// Output:
	// none: --faults none
	// lossy: --faults none,drop=0.1,dup=0.05,reorder=0.1,reorder-max=10ms
	// minority-partition: --faults none,partitions=1,partition-kinds=split,partition-min=150ms,partition-max=150ms
}
