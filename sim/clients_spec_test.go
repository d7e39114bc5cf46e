package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/sim"
)

// A client count set in --faults keeps the operations in flight the
// profile drew (at least one per client) unless the spec sets the
// concurrency too: sixteen clients on one key are sixteen operations in
// flight, not sixteen times a drawn concurrency.
func TestClientsSettingKeepsDrawnInFlight(t *testing.T) {
	c := sim.DefaultConfig("paxos", 1)
	c.Clients, c.Client.Concurrency = 4, 2
	require.NoError(t, c.ApplyFaults("clients=16,keys=1"))
	require.Equal(t, 16, c.Clients)
	require.Equal(t, 1, c.Client.Concurrency)

	c.Clients, c.Client.Concurrency = 4, 2
	require.NoError(t, c.ApplyFaults("clients=2"))
	require.Equal(t, 2, c.Client.Concurrency, "fewer clients never raise the concurrency")

	c.Clients, c.Client.Concurrency = 4, 2
	require.NoError(t, c.ApplyFaults("clients=16,concurrency=3"))
	require.Equal(t, 3, c.Client.Concurrency, "a concurrency set in the spec is kept")
}
