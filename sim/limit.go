package sim

import (
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/protocol"
)

// The adaptive concurrency limits of an open-loop client (Capacity.Limit),
// after Netflix's concurrency-limits library. An arrival while the
// client has limit operations in flight fails at once ("limited") and
// sends nothing: the client sheds its own excess before the servers must.
const (
	LimitAIMD     = "aimd"
	LimitGradient = "gradient"
)

// Gradient's constants: its tolerance of latency above the long-term
// average, the queue it allows on top, and how fast it moves.
const (
	gradientTolerance = 1.5
	gradientQueue     = 4
	gradientSmoothing = 0.2
	gradientLongEWMA  = 0.05
	maxLimit          = 1000
)

// adaptLimit moves client c's limit after one of its operations ended.
//
//   - aimd: +1 for an operation answered ok, ×0.9 for one shed or timed
//     out;
//   - gradient: the limit follows the ratio of the long-term average
//     latency to this one (between 0.5 and 1, with a tolerance of 1.5),
//     plus a queue of 4, smoothed (Gradient2). A shed or timed-out
//     operation counts as one that took its whole deadline.
func (s *sim) adaptLimit(c *client, sl *slot, t history.Type, r protocol.Reply) {
	overloaded := t == history.Info || r.Status == protocol.Overloaded
	switch s.cfg.Capacity.Limit {
	case LimitAIMD:
		switch {
		case t == history.Ok:
			c.limit = min(c.limit+1, maxLimit)
		case overloaded:
			c.limit = max(1, c.limit*0.9)
		}
	case LimitGradient:
		var sample float64
		switch {
		case t == history.Ok:
			sample = float64(s.nowNs - sl.invokeNs)
		case overloaded:
			sample = float64(s.cfg.Client.DeadlineNs)
		default:
			return
		}
		if c.longRttNs == 0 {
			c.longRttNs = sample
		}
		c.longRttNs += gradientLongEWMA * (sample - c.longRttNs)
		gradient := min(1, max(0.5, gradientTolerance*c.longRttNs/max(sample, 1)))
		next := c.limit*gradient + gradientQueue
		c.limit = min(maxLimit, max(1, c.limit*(1-gradientSmoothing)+next*gradientSmoothing))
	}
}
