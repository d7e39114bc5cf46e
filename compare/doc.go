// Package compare runs the same seeds — the same workload and fault
// schedule — for several protocols and adds up what an operator would
// compare: simulated latency quantiles of the operations answered ok,
// messages and round trips per operation, the shares of operations ok,
// failed and indeterminate, retries and hedges, availability across a
// partition, and the seeds whose history is not linearizable. It is
// `casim compare` for callers in Go.
//
// A [Contender] is a protocol with options and the client and clock
// settings compared ([ParseContenders] builds them from casim's flag
// syntax); a [Scenario] is a named fault setting ([Sets] holds the
// standard set). [New] pairs every scenario with every contender into
// [Group]s, [Comparison.Run] runs them on the worker pool of package
// sweep, and [Comparison.Rows] is the result, one [Row] per scenario,
// contender and operation type, also as JSON and CSV. Package report
// draws it as HTML with charts.
package compare
