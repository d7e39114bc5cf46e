// Package casimtest runs casim's simulator and linearizability checker
// as a property in a Go test, with [rapid] drawing the scenarios:
//
//	func TestMyVariant(t *testing.T) {
//		casimtest.Check(t, "paxos/accept-any-ballot", casimtest.Options{})
//	}
//
// Each test case is a whole simulated run from a seed of the protocol's
// default sweep (the mixture: cluster, workload, faults and options), run
// as it is or with some clients' operations and some faults left out, so
// that it finds what `casim sweep` finds, and rapid's shrinker removes
// operations and faults; casim's own shrinker (package sim/shrink) then
// cuts a failure down further before it is reported. The simulator keys
// every random choice to the operation, link or node it is for, so
// removing an operation leaves the rest of the run as it was: shrinking
// converges on a small run that still fails.
//
// A failing property reports the minimal witness of the violation and the
// scenario as JSON, with the command that replays it (`casim run
// --scenario`). The message holds nothing that changes between runs (no
// wall-clock time, no temporary paths), so that rapid can tell a real
// failure from a flaky one; and rapid saves the failing case under
// testdata/rapid/, and replays that file first the next time the test runs.
//
// [rapid]: https://pkg.go.dev/pgregory.net/rapid
package casimtest
