package sweep

import "github.com/casimlab/casim/sim"

// Capacity returns a run's availability (the share of the operations it
// invoked that were answered ok or with a definite failure within their
// deadline, as an SLO counts), its goodput (the share answered with their
// result, ok or a failed compare, within it) and its amplification (messages sent per operation invoked: what
// retries and hedges cost). A run that invoked nothing is fully
// available and amplifies nothing.
func Capacity(res *sim.Result) (availability, goodput, amplification float64) {
	invoked := len(res.OpInvokes)
	if invoked == 0 {
		return 1, 1, 0
	}
	st := res.Stats
	n := float64(invoked)
	return float64(st.InTime) / n, float64(st.OKInTime) / n, float64(st.Messages) / n
}
