package sim_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

var idField = regexp.MustCompile(`^\{ID:(\d+) `)

// Every reply, and every completion it causes, is credited to the
// operation whose request it answers, also in a protocol that batches:
// pb's primary answers several operations on one acknowledgement, which
// is credited to no operation (its batch served several). The trace is
// what the HTML report draws, so its bars pair each invoke with its own
// completion.
func TestRepliesAreCreditedToTheirOwnOperation(t *testing.T) {
	for _, proto := range []string{"pb", "pb/early-ack", "paxos", "abd"} {
		replies, batched := 0, 0
		for seed := uint64(1); seed <= 10; seed++ {
			cfg, err := sim.ProtocolDefault(proto, seed)
			require.NoError(t, err)
			cfg.Client.Concurrency = 2 // more operations waiting on one batch
			requestOp := map[string]int{}
			invoked := map[int]string{}
			_, err = sim.Run(cfg, sim.Options{Observe: func(e sim.TraceEvent) {
				switch {
				case e.Kind == "send" && e.Msg == "request":
					requestOp[idField.FindStringSubmatch(e.Detail)[1]] = e.Op
				case e.Kind == "deliver" && e.Msg == "reply":
					id := idField.FindStringSubmatch(e.Detail)[1]
					op, ok := requestOp[id]
					require.True(t, ok, "%s seed %d: a reply to request %s, never sent", proto, seed, id)
					require.Equal(t, op, e.Op, "%s seed %d: reply to request %s credited to op %d, not %d", proto, seed, id, e.Op, op)
					replies++
				case e.Kind == "invoke":
					invoked[e.Op] = e.Detail[:strings.Index(e.Detail, ")")+1] // "cas(k0, 1→2)"
				case e.Kind == "complete":
					require.Contains(t, e.Detail, invoked[e.Op], "%s seed %d: op %d's completion is another operation's", proto, seed, e.Op)
				case e.Kind == "send" && (e.Msg == "replicate" || e.Msg == "install"):
					require.Equal(t, -1, e.Op, "a batch serves no one operation")
					batched++
				}
			}})
			require.NoError(t, err)
		}
		require.Positive(t, replies, proto)
		if proto == "pb" {
			require.Positive(t, batched)
		}
	}
}
