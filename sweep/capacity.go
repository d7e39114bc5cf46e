package sweep

import "github.com/casimlab/casim/sim"

// Capacity returns a run's goodput (the share of its operations answered
// with their result, ok or a failed compare, within their deadline: its
// availability, sim.Stats.Availability, less the definite failures such
// as "overloaded") and its amplification (messages sent per operation
// invoked: what retries and hedges cost). A run that invoked nothing has
// goodput 1 and amplifies nothing.
func Capacity(res *sim.Result) (goodput, amplification float64) {
	invoked := len(res.OpInvokes)
	if invoked == 0 {
		return 1, 0
	}
	st := res.Stats
	n := float64(invoked)
	return float64(st.OKInTime) / n, float64(st.Messages) / n
}
