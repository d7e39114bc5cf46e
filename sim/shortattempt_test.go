package sim_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

var timeoutField = regexp.MustCompile(`TimeoutNs:(\d+)`)

// Short-deadline operations, their resolving reads included, give each
// attempt the short attempt timeout; operations invoked after the heal
// keep the client's. (The mixture's late corner rests on it: a
// resolving read that waited the client's attempt timeout at a paused
// coordinator found the write there when the pause ended.)
func TestShortAttemptTimeout(t *testing.T) {
	const shortNs, clientNs = 10_000_000, 60_000_000
	var short, resolves, long int
	for seed := uint64(1); seed <= 10; seed++ {
		c := sim.DefaultConfig("paxos", seed)
		require.NoError(t, c.ApplyFaults("keys=1,pauses=3,pause-min=30ms,pause-max=80ms,short-deadlines=1,short-deadline=30ms,"+
			"short-attempt-timeout=10ms,attempt-timeout=60ms,retry=off,hedge=off,resolve=on"))
		var sent []sim.TraceEvent
		res, err := sim.Run(c, sim.Options{Observe: func(e sim.TraceEvent) {
			if e.Kind == "send" && e.From >= c.Replicas && e.Msg == "request" {
				sent = append(sent, e)
			}
		}})
		require.NoError(t, err)
		healNs := res.HealNs
		for _, e := range sent {
			m := timeoutField.FindStringSubmatch(e.Detail)
			require.NotNil(t, m, "a request names its timeout: %s", e.Detail)
			ns, err := strconv.ParseInt(m[1], 10, 64)
			require.NoError(t, err)
			invokeNs := res.Ops[e.Op].InvokeNs
			if invokeNs < healNs {
				require.LessOrEqual(t, ns, int64(shortNs), "seed %d: a short-deadline operation's attempt: %s", seed, e.Detail)
				short++
				if strings.Contains(e.Detail, "Resolve:true") {
					resolves++
				}
			} else if ns > shortNs {
				require.LessOrEqual(t, ns, int64(clientNs))
				long++
			}
		}
	}
	require.Positive(t, short)
	require.Positive(t, resolves, "no resolving read was sent: the test sees none of them")
	require.Positive(t, long, "no operation after the heal had the client's attempt timeout")
}
