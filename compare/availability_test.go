package compare_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/compare"
)

// compare reports what a fixed primary's crashes cost: pb's clients wait
// out the primary's downtime (a long stall, operations past their
// deadline) where paxos, under the same crashes, keeps answering.
func TestCompareShowsAFixedPrimaryDown(t *testing.T) {
	contenders, err := compare.ParseContenders("pb,paxos", "", "", "")
	require.NoError(t, err)
	scenarios, err := compare.Scenarios("", "none,crashes=2,crash-nodes=0,down-min=300ms,down-max=400ms")
	require.NoError(t, err)
	c, err := compare.New(1, 10, scenarios, contenders, compare.Sizes{})
	require.NoError(t, err)
	require.NoError(t, c.Run(context.Background(), nil))
	stall := map[string]int64{}
	avail := map[string]float64{}
	for _, r := range c.Rows() {
		if r.Op == "write" {
			stall[r.Protocol], avail[r.Protocol] = r.MaxStallNs, r.Availability
		}
	}
	require.Greater(t, stall["pb"], int64(250_000_000), "pb stalls while its primary is down")
	require.Less(t, stall["paxos"], stall["pb"]/2)
	require.Less(t, avail["pb"], avail["paxos"])
	require.Equal(t, 1.0, avail["paxos"])
}
