package report_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	_ "github.com/casimlab/casim/protocol/all" // register the protocols
	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// Print the first lines of a run's trace: one client, one operation, no
// faults.
func ExampleWriteTrace() {
	cfg := sim.DefaultConfig("paxos", 1)
	if err := cfg.ApplyFaults("none,clients=1,ops=1"); err != nil {
		panic(err)
	}
	var events []sim.TraceEvent
	o, err := sweep.Simulate(sim.Scenario{Config: cfg}, sim.Options{Observe: func(e sim.TraceEvent) { events = append(events, e) }}, 0, true)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	report.WriteTrace(&b, events, cfg.Replicas, o.Result, o.Check)
	lines := strings.Split(b.String(), "\n")
	for _, l := range lines[3:6] {
		fmt.Println(strings.Join(strings.Fields(l)[:4], " "))
	}
	// Output:
	// 9.938ms c0 invoke cas(k1,
	// 9.938ms c0 → n0
	// 10.544ms n0 ← c0
}

// Write the HTML report of a run: a self-contained page.
func ExampleWriteRun() {
	sc := sim.Scenario{Config: sim.DefaultConfig("paxos/accept-any-ballot", 2)}
	var events []sim.TraceEvent
	o, err := sweep.Simulate(sc, sim.Options{Observe: func(e sim.TraceEvent) { events = append(events, e) }}, 0, true)
	if err != nil {
		panic(err)
	}
	f, err := os.CreateTemp("", "report-*.html")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	in := report.Run{Outcome: o, Events: events, Scenario: sc, Replay: "casim run --protocol paxos/accept-any-ballot --seed 2"}
	if err := report.WriteRun(f, in); err != nil {
		panic(err)
	}
	fmt.Println(o.Verdict, "on key", o.Key)
	// Output:
	// illegal on key k1
}

// The header of `casim run`: what a run is about.
func ExampleWriteConfig() {
	var b bytes.Buffer
	report.WriteConfig(&b, sim.NewScenario(sim.DefaultConfig("paxos", 3)))
	lines := strings.Split(b.String(), "\n")
	fmt.Println(lines[0])
	fmt.Println(lines[1])
	// Output:
	// protocol paxos  seed 3
	// cluster  3 replicas, 4 clients × 25 ops (concurrency 1), 2 keys (read 40% write 20% cas 40%)
}
