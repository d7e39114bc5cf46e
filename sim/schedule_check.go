package sim

import (
	"fmt"
	"slices"
)

// validateSchedule checks a schedule given from outside (a scenario file)
// against the cluster it is to act on.
func validateSchedule(sched []Fault, c Config) error {
	known := map[FaultKind]bool{Crash: true, Pause: true, Slow: true, ClockStep: true, ClientCrash: true}
	for _, k := range AllPartitionKinds() {
		known[k] = true
	}
	for i, f := range sched {
		where := fmt.Sprintf("fault %d (%s)", i, f.Kind)
		if slices.Contains(topologyKinds, f.Kind) {
			if err := validateTopologyFault(f, c, where); err != nil {
				return err
			}
		} else if !known[f.Kind] {
			return fmt.Errorf("%s: unknown kind", where)
		}
		if f.StartNs < 0 || f.EndNs < f.StartNs {
			return fmt.Errorf("%s: needs 0 <= start_ns <= end_ns, got %s..%s", where, dur(f.StartNs), dur(f.EndNs))
		}
		for _, n := range append(append([]int(nil), f.Nodes...), f.Peers...) {
			if n < 0 || n >= c.Replicas {
				return fmt.Errorf("%s: replica %d out of range 0..%d", where, n, c.Replicas-1)
			}
		}
		for _, cl := range f.Clients {
			if cl < 0 || cl >= c.Clients {
				return fmt.Errorf("%s: client %d out of range 0..%d", where, cl, c.Clients-1)
			}
		}
		if f.Kind == ClientCrash && len(f.Clients) != 1 {
			return fmt.Errorf("%s: names exactly one client", where)
		}
		if f.Kind == Slow && f.Factor < 1 {
			return fmt.Errorf("%s: factor must be >= 1", where)
		}
	}
	return nil
}
