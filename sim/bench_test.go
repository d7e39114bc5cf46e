package sim_test

import (
	"testing"

	_ "github.com/casimlab/casim/protocol/all"
	"github.com/casimlab/casim/sim"
)

// BenchmarkBareLoop is the ceiling casim's simulator is measured against:
// a single-threaded discrete-event loop over a binary heap of value
// events, with no allocation per event and no work per event beyond
// scheduling the next one. casim's events/s on a real protocol are
// reported as a ratio to this figure.
func BenchmarkBareLoop(b *testing.B) {
	b.ReportAllocs()
	events := sim.BareLoop(b.N)
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRunPaxos runs the default paxos scenario, one seed per
// iteration, and reports events per second and allocations per event.
func BenchmarkRunPaxos(b *testing.B) {
	benchRun(b, "paxos")
}

func benchRun(b *testing.B, protocol string) {
	b.ReportAllocs()
	var events, simNs int64
	for i := range b.N {
		res, err := sim.Run(sim.DefaultConfig(protocol, uint64(i+1)), sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Stats.Events
		simNs += res.Stats.SimNs
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/secs, "events/s")
	b.ReportMetric(float64(simNs)/1e9/secs, "sim-s/s")
	b.ReportMetric(float64(b.N)/secs, "seeds/s")
}
