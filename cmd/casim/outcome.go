package main

import (
	"context"
	"fmt"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

// outcome is one seed's run and check, as `run --json` and `sweep --json`
// print it.
type outcome struct {
	Seed      uint64          `json:"seed"`
	Protocol  string          `json:"protocol"`
	Verdict   checker.Verdict `json:"verdict"`
	Key       string          `json:"key,omitempty"`
	Ops       int             `json:"ops"`
	OK        int             `json:"ok"`
	Fail      int             `json:"fail"`
	Info      int             `json:"info"`
	Messages  int64           `json:"messages"`
	Events    int64           `json:"events"`
	SimNs     int64           `json:"sim_ns"`
	WallNs    int64           `json:"wall_ns"`
	CheckNs   int64           `json:"check_ns"`
	TraceHash string          `json:"trace_hash"`
	Stuck     string          `json:"stuck,omitempty"`
	// InTime, Availability and MaxStallNs: sim.Stats.Availability and
	// sim.Stats.MaxStallNs.
	InTime       int         `json:"in_time"`
	Availability float64     `json:"availability"`
	MaxStallNs   int64       `json:"max_stall_ns"`
	ByOp         []opFigures `json:"by_op"`
	// Replay is the command that reproduces the seed (sweep only).
	Replay string `json:"replay,omitempty"`

	figures byOp

	result *sim.Result
	check  checker.Result
}

// simulate runs one scenario and checks its history within budget.
// A witness (the minimal failing sub-history) costs many more checks; a
// sweep does without.
func simulate(sc sim.Scenario, opts sim.Options, budget time.Duration, witness bool) (*outcome, error) {
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
	o := &outcome{
		Seed: cfg.Seed, Protocol: cfg.Protocol, Verdict: verdict, Key: chk.Key,
		Ops: st.Ops(), OK: st.OK, Fail: st.Fail, Info: st.Info,
		Messages: st.Messages, Events: st.Events, SimNs: st.SimNs,
		WallNs: wall.Nanoseconds(), CheckNs: time.Since(checkStart).Nanoseconds(),
		TraceHash: fmt.Sprintf("%016x", res.TraceHash), Stuck: res.Stuck,
		InTime: st.InTime, Availability: st.Availability(), MaxStallNs: st.MaxStallNs,
		result: res, check: chk,
	}
	o.figures.add(st)
	o.ByOp = o.figures.final()
	return o, nil
}

// Stuck is the verdict of a run that failed its liveness phase: after the
// faults healed, operations did not complete.
const Stuck checker.Verdict = "stuck"

// exitStatus maps a verdict to casim's exit status.
func exitStatus(v checker.Verdict) int {
	switch v {
	case checker.Illegal:
		return exitViolation
	case checker.Unknown:
		return exitUnknown
	case Stuck:
		return exitStuck
	}
	return exitOK
}

// replayCommand is the one command that reproduces a seed.
func replayCommand(f *simFlags, seed uint64) string {
	return "casim run " + f.flagsFor(seed)
}
