package sim_test

import (
	"testing"

	"github.com/casimlab/casim/sim"
)

// BenchmarkRunOverload runs paxos at six times its capacity with
// shedding (the overload test's scenario), one seed per iteration: the
// cost of queues, service times and open-loop clients per event, beside
// BenchmarkRunPaxos.
func BenchmarkRunOverload(b *testing.B) {
	b.ReportAllocs()
	var events int64
	for i := range b.N {
		c := sim.DefaultConfig("paxos", uint64(i+1))
		if err := c.ApplyFaults("none,keys=1000,ops=100,service=200us,load=300,retry-budget=0.1,queue-limit=8,shed=on"); err != nil {
			b.Fatal(err)
		}
		res, err := sim.Run(c, sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Stats.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
