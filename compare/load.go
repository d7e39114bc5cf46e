package compare

import (
	"fmt"
	"math"
	"strconv"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// VaryLoads makes one copy of each contender per offered load of the
// comma-separated list, in operations per second per client (0: the
// closed loop), labelled "load=R": `casim compare --loads`. With capacity
// on (--faults service=...) it draws the knee: goodput and p99 against
// offered load.
func VaryLoads(cs []Contender, loads string) ([]Contender, error) {
	return vary(cs, loads, "load", func(c *Contender, v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0) || x > 1e9 {
			return fmt.Errorf("--loads %q: want rates >= 0 in operations per second per client, such as 50,100,200", v)
		}
		c.Load, c.LoadSet = x, true
		return nil
	})
}

// loadFigures are what the load table adds up of one run.
type loadFigures struct {
	okInTime, invoked, shed, degraded int
	messages                          int64
	maxStalenessNs                    int64
	// recoveryNs sums, over runs with a surge, how long after the surge
	// ended operations still missed (0 if none did); surges counts them.
	recoveryNs int64
	surges     int
}

func loadOf(o *sweep.Outcome) loadFigures {
	st := o.Result.Stats
	l := loadFigures{okInTime: st.OKInTime, invoked: len(o.Result.OpInvokes), shed: st.Shed,
		degraded: st.Degraded, messages: st.Messages, maxStalenessNs: o.MaxStalenessNs}
	if k := o.Result.Config.Capacity; k.SurgeForNs > 0 && k.SurgeFactor > 0 {
		l.surges, l.recoveryNs = 1, max(0, st.LastMissNs-(k.SurgeAtNs+k.SurgeForNs))
	}
	return l
}

func (l *loadFigures) add(m loadFigures) {
	l.okInTime += m.okInTime
	l.invoked += m.invoked
	l.shed += m.shed
	l.degraded += m.degraded
	l.messages += m.messages
	l.maxStalenessNs = max(l.maxStalenessNs, m.maxStalenessNs)
	l.recoveryNs += m.recoveryNs
	l.surges += m.surges
}

// LoadRow is one contender's figures under load in one scenario: `casim
// compare --loads` prints them as a table and in --json as "load".
// Latencies are of every operation answered ok, all types together.
type LoadRow struct {
	Scenario string `json:"scenario"`
	Protocol string `json:"protocol"`
	// OfferedPerSec is the load offered, all clients together (0: closed
	// loop); GoodputPerSec the part answered with its result within the
	// deadline (offered × goodput share).
	OfferedPerSec float64 `json:"offered_per_s"`
	GoodputPerSec float64 `json:"goodput_per_s"`
	Goodput       float64 `json:"goodput"`
	Availability  float64 `json:"availability"`
	// Nines is availability as nines, -log10(1 - availability), bounded
	// by what the sample can show: with n operations and none missed it
	// is log10(n).
	Nines         float64 `json:"nines"`
	P99Ns         int64   `json:"p99_ns"`
	P999Ns        int64   `json:"p999_ns"`
	Amplification float64 `json:"amplification"`
	Shed          int     `json:"shed"`
	Degraded      int     `json:"degraded"`
	// MaxStalenessNs is the largest staleness of a degraded read in any
	// run (checker.Degraded).
	MaxStalenessNs int64 `json:"max_staleness_ns"`
	// RecoveryNs is, for a scenario with a surge (--faults surge=F,...),
	// the mean time after the surge ended until the last operation that
	// missed its deadline or was refused was invoked: how long the system
	// took to serve its clients again (-1: no surge).
	RecoveryNs int64 `json:"recovery_ns"`
}

// LoadRows lists the groups' figures under load, or nothing if no
// contender set a load.
func (c *Comparison) LoadRows() []LoadRow {
	any := false
	for _, g := range c.Groups {
		any = any || g.Contender.LoadSet
	}
	if !any {
		return nil
	}
	var out []LoadRow
	for _, g := range c.Groups {
		var lat sweep.Histogram
		for i := range g.Figures {
			lat.Merge(&g.Figures[i].Latency)
		}
		l := g.Load
		n := float64(max(l.invoked, 1))
		avail := float64(g.Outcomes[0].InTime+g.Outcomes[1].InTime+g.Outcomes[2].InTime) / n
		clients := g.Clients
		r := LoadRow{Scenario: g.Scenario.Name, Protocol: g.Contender.Label,
			OfferedPerSec: g.Contender.Load * float64(clients), Goodput: float64(l.okInTime) / n,
			Availability: avail, Nines: Nines(avail, l.invoked),
			P99Ns: lat.Quantile(0.99), P999Ns: lat.Quantile(0.999),
			Amplification: float64(l.messages) / n, Shed: l.shed, Degraded: l.degraded,
			MaxStalenessNs: l.maxStalenessNs, RecoveryNs: -1}
		if l.surges > 0 {
			r.RecoveryNs = l.recoveryNs / int64(l.surges)
		}
		r.GoodputPerSec = r.OfferedPerSec * r.Goodput
		out = append(out, r)
	}
	return out
}

// Nines is availability a as nines, -log10(1 - a), at most log10(n) for
// n operations: a sample of n shows no more.
func Nines(a float64, n int) float64 {
	limit := math.Log10(float64(max(n, 1)))
	if a >= 1 {
		return limit
	}
	return min(-math.Log10(1-a), limit)
}

// clientsOf is how many clients a contender's runs have.
func clientsOf(c Contender, sc Scenario, sz Sizes, seed uint64) int {
	cfg, err := c.Config(sc, sz, seed)
	if err != nil {
		return sim.DefaultConfig(c.Protocol, seed).Clients
	}
	return cfg.Clients
}
