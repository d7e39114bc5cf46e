package checker_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/sim"
)

// abdHistory is a history casim records: ABD's default scenario (faults
// included) with every client on one key, n operations asked for. A run
// can end sooner (an operation that times out after the faults healed
// ends it): the benchmark reports the operations checked as "ops".
func abdHistory(b *testing.B, n, clients int) []history.Event {
	cfg, err := sim.ProtocolDefault("abd", 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Clients, cfg.Keys, cfg.OpsPerClient = clients, 1, max(n/clients, 1)
	// Room to finish: the default limits stop long runs of few clients
	// after some thousand operations.
	cfg.Limits.LivenessNs, cfg.Limits.MaxSimNs, cfg.Limits.MaxEvents = 1e13, 1e13, 1e10
	res, err := sim.Run(cfg, sim.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return res.History
}

// BenchmarkABDOneKey checks ABD histories of 100 to 100,000 operations on
// one key from 4, 32 and 64 clients, with the unique-value check and with
// porcupine. A porcupine case is skipped when porcupine takes over 10 s to
// decide it once.
func BenchmarkABDOneKey(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		for _, clients := range []int{4, 32, 64} {
			var events []history.Event
			for _, alg := range []checker.Algorithm{checker.Unique, checker.Porcupine} {
				b.Run(fmt.Sprintf("ops=%d/procs=%d/%s", n, clients, alg), func(b *testing.B) {
					if events == nil {
						events = abdHistory(b, n, clients)
					}
					if alg == checker.Porcupine {
						r, err := checker.CheckWith(b.Context(), events, checker.Options{NoWitness: true, Algorithm: alg, Budget: 10 * time.Second})
						if err != nil || r.Verdict == checker.Unknown {
							b.Skipf("porcupine: no verdict in 10s (%v)", err)
						}
					}
					var ops int
					for b.Loop() {
						r, err := checker.CheckWith(b.Context(), events, checker.Options{NoWitness: true, Algorithm: alg})
						if err != nil || r.Verdict != checker.Linearizable {
							b.Fatalf("verdict %s (%s), %v", r.Verdict, r.AlgorithmSummary(), err)
						}
						ops = r.Ops
					}
					b.ReportMetric(float64(ops), "ops")
				})
			}
		}
	}
}
