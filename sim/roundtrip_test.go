package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/sim"
)

// A forwarding hop is counted, not lost to integer division: pb's reads
// at a backup take one hop between replicas (the forward; the primary
// answers the client), at the primary none; paxos's are whole round trips.
func TestRoundTripsCountForwardingHops(t *testing.T) {
	run := func(proto string) sim.KindStats {
		c, err := sim.ProtocolDefault(proto, 1)
		require.NoError(t, err)
		require.NoError(t, c.ApplyFaults("none,clients=1,ops=60,mix=100/0/0"))
		res, err := sim.Run(c, sim.Options{})
		require.NoError(t, err)
		return res.Stats.Kinds[model.Read]
	}
	pb := run("pb")
	require.Positive(t, pb.ReplicaHops[1], "reads forwarded by a backup")
	require.Positive(t, pb.ReplicaHops[0], "reads at the primary")
	require.Equal(t, pb.ReplicaHops[1]+pb.ReplicaHops[2], pb.RoundTrips[1], "a one-way hop counts as a round trip")
	require.Equal(t, 1, sim.Mode(pb.RoundTrips), "most reads go through a backup")

	px := run("paxos")
	require.Equal(t, 8, sim.Mode(px.ReplicaHops))
	require.Equal(t, 4, sim.Mode(px.RoundTrips))
}
