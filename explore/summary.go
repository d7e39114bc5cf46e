package explore

import (
	"fmt"
	"io"
	"time"
)

// WriteSummary prints what a search covered, as casim explore does: the
// protocol and workload, the model, the states, the time, and whether the
// search was complete (the verdict and counterexample follow it there).
func (r Result) WriteSummary(w io.Writer, cfg Config, name string) {
	mode := "exact"
	if cfg.Delays >= 0 {
		mode = fmt.Sprintf("at most %d delays", cfg.Delays)
	}
	order := "breadth first"
	if cfg.DFS && cfg.Delays < 0 {
		order = "depth first"
	}
	fmt.Fprintf(w, "protocol %s  replicas %d  workload %s  keys %d\n", name, cfg.Replicas, FormatWorkload(cfg.Workload), cfg.Keys)
	timerNote := ""
	if cfg.NoReplicaTimers {
		timerNote = ", replica timers never fire (a restricted model)"
	}
	fmt.Fprintf(w, "model    crashes ≤%d, dups ≤%d, retries %d, resolve %v, deadline %s%s; search %s, %s\n",
		cfg.Crashes, cfg.Dups, cfg.Retries, cfg.Resolve, time.Duration(cfg.DeadlineNs), timerNote, order, mode)
	fmt.Fprintf(w, "states   %d generated, %d unique, %d pruned", r.States, r.Unique, r.Pruned)
	if cfg.sleepSets() {
		fmt.Fprintf(w, ", %d asleep (sleep sets; %d expanded again)", r.Slept, r.Reexpanded)
	}
	fmt.Fprintf(w, "; depth %d\n", r.Depth)
	fmt.Fprintf(w, "time     %s, %.0f states/s\n", r.Elapsed.Round(time.Millisecond), r.StatesPerSecond())
	fmt.Fprintf(w, "complete %v", r.Complete)
	if r.Stopped != "" {
		fmt.Fprintf(w, " (stopped by %s)", r.Stopped)
	}
}
