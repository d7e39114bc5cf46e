// Package sweep runs many seeds of a simulation and checks each history:
// the work of `casim sweep`, `casim compare`, `casim bench` and the
// determinism self-check, for callers in Go.
//
// One worker pool ([Each]) serves all of them: jobs run on parallel
// goroutines (each run is single-threaded and depends on its scenario
// only), results come back in job order, and a cancelled context starts
// no more jobs while those already started still report. On top of it:
//
//   - [Simulate] runs one scenario and checks its history: an [Outcome],
//     the line `casim run --json` and `casim sweep --json` print;
//   - [Run] sweeps a list of seeds into a [Summary] (totals, per-operation
//     figures, failing, stuck and undecided seeds), optionally running
//     every seed a second time under another GOMAXPROCS ([Config].CheckDeterminism);
//   - [Range] is a range of seeds, or one of its disjoint shards for
//     machines that sweep in parallel (no seed is held in memory), and
//     [Totals] merges the shards' outcomes again.
package sweep
