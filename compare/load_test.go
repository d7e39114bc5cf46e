package compare

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// Under limited capacity, goodput follows the offered load below the
// knee and stops following it above: the load table shows the knee.
func TestLoadRowsShowTheKnee(t *testing.T) {
	configs, err := ParseContenders("paxos", "", "", "")
	require.NoError(t, err)
	configs, err = VaryLoads(configs, "10,150")
	require.NoError(t, err)
	require.Equal(t, "paxos load=10", configs[0].Label)
	scs, err := Scenarios("", "none,service=200us,keys=1000,ops=60,shed=on,retry-budget=0.1")
	require.NoError(t, err)
	c, err := New(1, 2, scs, configs, Sizes{})
	require.NoError(t, err)
	require.NoError(t, c.Run(context.Background(), nil))
	rows := c.LoadRows()
	require.Len(t, rows, 2)
	low, high := rows[0], rows[1]
	require.Equal(t, 40.0, low.OfferedPerSec) // 4 clients at 10 ops/s
	require.InDelta(t, low.OfferedPerSec, low.GoodputPerSec, 1, "below the knee every op is answered in time")
	require.Less(t, high.GoodputPerSec, 0.8*high.OfferedPerSec, "above it goodput falls behind")
	require.Positive(t, high.Shed)
	require.Greater(t, high.P99Ns, low.P99Ns)
	require.Greater(t, low.Nines, high.Nines)
	require.Equal(t, int64(-1), low.RecoveryNs, "no surge, no recovery figure")
}

// After a surge past capacity, the recovery time is how long operations
// kept missing once it ended.
func TestLoadRowsRecoveryAfterASurge(t *testing.T) {
	configs, err := ParseContenders("paxos", "", "", "")
	require.NoError(t, err)
	configs, err = VaryLoads(configs, "25")
	require.NoError(t, err)
	var rec [2]int64
	for i, shed := range []string{"on", "off"} {
		scs, err := Scenarios("", "none,service=200us,keys=1000,ops=120,surge=4,surge-at=1s,surge-for=1s,retry-budget=0.1,shed="+shed)
		require.NoError(t, err)
		c, err := New(1, 2, scs, configs, Sizes{})
		require.NoError(t, err)
		require.NoError(t, c.Run(context.Background(), nil))
		rec[i] = c.LoadRows()[0].RecoveryNs
		require.GreaterOrEqual(t, rec[i], int64(0))
	}
	require.Less(t, rec[0], rec[1], "shedding recovers sooner than an unbounded queue drains")
}

func TestLoadRowsOnlyWithLoads(t *testing.T) {
	configs, err := ParseContenders("paxos", "", "", "")
	require.NoError(t, err)
	scs, err := Scenarios("", "none")
	require.NoError(t, err)
	c, err := New(1, 1, scs, configs, Sizes{Ops: 5})
	require.NoError(t, err)
	require.NoError(t, c.Run(context.Background(), nil))
	require.Nil(t, c.LoadRows())
	for _, bad := range []string{"x", "-1", "NaN"} {
		_, err := VaryLoads(configs, bad)
		require.Error(t, err, bad)
	}
}

func TestNines(t *testing.T) {
	require.InDelta(t, 2, Nines(0.99, 1000), 1e-9)
	require.InDelta(t, 3, Nines(1, 1000), 1e-9, "no miss in 1000 shows three nines, no more")
	require.InDelta(t, 3, Nines(0.99999, 1000), 1e-9)
	require.Equal(t, 0.0, Nines(0, 10))
	require.False(t, math.IsNaN(Nines(1, 0)))
}
