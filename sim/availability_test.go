package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// refuseReads is abd with every read refused (Unsupported): the shape of a
// protocol that one flipped comparison made unavailable. Failed reads drop
// out of the linearizability check, so only the availability check can
// catch it.
type refuseReads struct{ protocol.Node }

func (n refuseReads) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	if req.Op.Kind == model.Read && !req.Resolve {
		env.Reply(from, protocol.Reply{ID: req.ID, Token: req.Token, Status: protocol.Unsupported})
		return
	}
	n.Node.OnRequest(env, from, req)
}

func init() {
	abd, err := protocol.Lookup("abd")
	if err != nil {
		panic(err)
	}
	p := abd
	p.Name, p.Linearizable = "test/refuse-reads", false
	p.Description = "abd refusing every read (a test of the availability check)"
	p.New = func(cfg protocol.Config, store protocol.Store) protocol.Node {
		return refuseReads{abd.New(cfg, store)}
	}
	protocol.Register(p)
}

// A protocol that refuses every read fails the default sweep as
// unavailable, while the protocol it wraps passes the same seeds.
func TestRefusingProtocolIsUnavailable(t *testing.T) {
	unavailable := 0
	for seed := uint64(1); seed <= 20; seed++ {
		for _, name := range []string{"abd", "test/refuse-reads"} {
			cfg, err := sim.ProtocolDefault(name, seed)
			require.NoError(t, err)
			res, err := sim.Run(cfg, sim.Options{})
			require.NoError(t, err)
			if name == "abd" {
				require.Empty(t, res.Unavailable, "abd seed %d", seed)
			} else if res.Unavailable != "" {
				unavailable++
			}
		}
	}
	require.GreaterOrEqual(t, unavailable, 10, "a protocol refusing every read must fail most seeds as unavailable")
}

// Resolving reads are refused for a protocol whose "not applied" is not
// final (abd's 149-of-200 false alarm), allowed as lww's experiment, and
// on by default where the answer is final.
func TestResolveOnlyWhereFinal(t *testing.T) {
	for name, ok := range map[string]bool{"abd": false, "abd/no-write-back": false, "lww": true, "paxos": true, "caspaxos": true} {
		c := sim.DefaultConfig(name, 1)
		require.NoError(t, c.ApplyFaults("resolve=on"))
		if ok {
			require.NoError(t, c.Validate(), name)
		} else {
			require.ErrorContains(t, c.Validate(), "resolve=on is refused", name)
		}
	}
}
