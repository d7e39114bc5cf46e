package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/casimlab/casim/sim"
)

// writeCapacity adds the run header's capacity line, only when a capacity
// or load setting is on (issue 12), so that default headers stay as they
// were.
func writeCapacity(w io.Writer, c sim.Config) {
	k := c.Capacity
	if k == (sim.Capacity{}) {
		return
	}
	var parts []string
	if k.On() {
		s := fmt.Sprintf("service mean %s (writes ×%s), workers %d per replica", dur(k.ServiceNs), num(k.WriteCost), k.Workers)
		if k.Shed {
			s += fmt.Sprintf(", shed past %d queued or %s queueing", k.QueueLimit, dur(k.QueueBudgetNs))
		}
		if k.Queue == sim.QueuePriority {
			s += ", replicas' messages served before new requests"
		}
		parts = append(parts, s)
	}
	if k.OpenLoop() {
		s := fmt.Sprintf("open loop %s ops/s per client", num(k.LoadPerSec))
		if k.RampFactor > 1 {
			s += fmt.Sprintf(" ramping to ×%s", num(k.RampFactor))
		}
		if k.SurgeForNs > 0 {
			s += fmt.Sprintf(", ×%s from %s for %s", num(k.SurgeFactor), dur(k.SurgeAtNs), dur(k.SurgeForNs))
		}
		if k.HotRatio > 0 {
			s += fmt.Sprintf(", %.0f%% on k0", 100*k.HotRatio)
		}
		parts = append(parts, s)
	}
	if k.RetryBudgetRatio > 0 {
		parts = append(parts, fmt.Sprintf("retry budget %.0f%%", 100*k.RetryBudgetRatio))
	}
	if k.Limit != "" {
		parts = append(parts, k.Limit+" concurrency limit")
	}
	if k.Degrade != "" {
		parts = append(parts, "degrade "+k.Degrade)
	}
	fmt.Fprintf(w, "capacity %s\n", strings.Join(parts, "; "))
}
