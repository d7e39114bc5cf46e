package sweep

import (
	"context"
	"fmt"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// Outcome is one seed's run and check, as `casim run --json` and `casim
// sweep --json` print it.
type Outcome struct {
	Seed     uint64          `json:"seed"`
	Protocol string          `json:"protocol"`
	Verdict  checker.Verdict `json:"verdict"`
	Key      string          `json:"key,omitempty"`
	// Checker names what checked each key (checker.Result.AlgorithmSummary).
	Checker   string `json:"checker"`
	Ops       int    `json:"ops"`
	OK        int    `json:"ok"`
	Fail      int    `json:"fail"`
	Info      int    `json:"info"`
	Messages  int64  `json:"messages"`
	Events    int64  `json:"events"`
	SimNs     int64  `json:"sim_ns"`
	WallNs    int64  `json:"wall_ns"`
	CheckNs   int64  `json:"check_ns"`
	TraceHash string `json:"trace_hash"`
	Stuck     string `json:"stuck,omitempty"`
	// Unavailable says which operation failed after the faults healed.
	Unavailable string `json:"unavailable,omitempty"`
	// InTime, Availability and MaxStallNs are sim.Stats.InTime,
	// sim.Stats.Availability and sim.Stats.MaxStallNs: the operations
	// answered within their deadline, their share, and the longest
	// stretch in which operations waited and none was answered.
	InTime       int     `json:"in_time"`
	Availability float64 `json:"availability"`
	MaxStallNs   int64   `json:"max_stall_ns"`
	// Capacity figures (issue 12): the share of operations answered with
	// their result (ok, or a failed compare) within their deadline, client
	// requests shed by replicas, and messages sent per operation invoked.
	Goodput       float64 `json:"goodput"`
	Shed          int     `json:"shed"`
	Amplification float64 `json:"amplification"`
	// Degraded counts the reads answered degraded (degrade=one|cache) and
	// MaxStalenessNs is their largest staleness, as checker.CheckDegraded
	// measures it.
	Degraded       int         `json:"degraded"`
	MaxStalenessNs int64       `json:"max_staleness_ns"`
	ByOp           []OpFigures `json:"by_op"`
	// Replay is the command that reproduces the seed (sweeps only).
	Replay string `json:"replay,omitempty"`

	// Figures are ByOp before Final, to merge into a sweep's.
	Figures ByOp `json:"-"`
	// Result and Check are the run and its check. A sweep drops them once
	// the outcome is counted, so that memory stays flat.
	Result *sim.Result    `json:"-"`
	Check  checker.Result `json:"-"`
}

// Stuck is the verdict of a run that failed its liveness phase: after the
// faults healed, operations did not complete.
const Stuck checker.Verdict = "stuck"

// Unavailable is the verdict of a run that failed its availability check:
// after the faults healed, an operation failed definitely (refused,
// unsupported, resolved as not applied); a cas may fail only its compare.
const Unavailable checker.Verdict = "unavailable"

// Simulate runs one scenario and checks its history within budget (0:
// none). A witness (the minimal failing sub-history) costs many more
// checks; a sweep does without.
func Simulate(sc sim.Scenario, opts sim.Options, budget time.Duration, witness bool) (*Outcome, error) {
	cfg := sc.Config
	start := time.Now()
	res, err := sim.RunScenario(sc, opts)
	if err != nil {
		return nil, err
	}
	wall := time.Since(start)
	checkStart := time.Now()
	chk, err := checker.CheckWith(context.Background(), res.History, checker.Options{Budget: budget, NoWitness: !witness})
	if err != nil {
		return nil, fmt.Errorf("seed %d: recorded history is invalid: %w", cfg.Seed, err)
	}
	st := res.Stats
	verdict := chk.Verdict
	if res.Stuck != "" && verdict != checker.Illegal {
		// A violation outranks a liveness failure; a liveness failure
		// outranks an undecided check.
		verdict = Stuck
	}
	if res.Unavailable != "" && verdict != checker.Illegal && verdict != Stuck {
		verdict = Unavailable
	}
	o := &Outcome{
		Seed: cfg.Seed, Protocol: cfg.Protocol, Verdict: verdict, Key: chk.Key, Checker: chk.AlgorithmSummary(),
		Ops: st.Ops(), OK: st.OK, Fail: st.Fail, Info: st.Info,
		Messages: st.Messages, Events: st.Events, SimNs: st.SimNs,
		WallNs: wall.Nanoseconds(), CheckNs: time.Since(checkStart).Nanoseconds(),
		TraceHash: fmt.Sprintf("%016x", res.TraceHash), Stuck: res.Stuck,
		Unavailable: res.Unavailable,
		InTime:      st.InTime, Availability: st.Availability(), MaxStallNs: st.MaxStallNs,
		Result: res, Check: chk,
	}
	o.Goodput, o.Amplification = Capacity(res)
	o.Shed = st.Shed
	o.Degraded, o.MaxStalenessNs = chk.Degraded.Count, chk.Degraded.MaxStalenessNs
	o.Figures.Add(st)
	o.ByOp = o.Figures.Final()
	return o, nil
}
