package compare

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// Contender is one contender of a Comparison: a protocol with its
// options and the client and clock settings that compare varies. Label
// names it in every table, e.g. "caspaxos:one-round-trip=on hedge=off".
type Contender struct {
	Label    string
	Protocol string
	Opts     protocol.Options
	Hedge    sim.HedgeMode // "" keeps the client's default
	HedgeNs  int64         // the fixed hedging delay; 0 keeps the default
	SkewNs   int64         // clock offsets up to ±SkewNs; -1 keeps the scenario's
	// Load, if LoadSet, is the offered load in operations per second per
	// client (sim.Capacity.LoadPerSec; 0: closed loop). See VaryLoads.
	Load    float64
	LoadSet bool
}

// Sizes override the default workload's sizes (0 keeps them).
type Sizes struct {
	Clients, Keys, Ops int
}

// Config is the run of c for one seed under a scenario. The scenario's
// faults come after the protocol options and before the compared
// settings, so that --skews wins over a scenario's own skew. It starts
// from sim.DefaultConfig, not a variant's own scenario
// (sim.ProtocolDefault): every contender must see the same workload.
func (c Contender) Config(sc Scenario, sz Sizes, seed uint64) (sim.Config, error) {
	cfg := sim.DefaultConfig(c.Protocol, seed)
	if len(c.Opts) > 0 {
		cfg.ProtocolOptions = c.Opts
	}
	if err := cfg.ApplyFaults(sc.Spec); err != nil {
		return cfg, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	if c.SkewNs >= 0 {
		cfg.Clocks.MaxOffsetNs = c.SkewNs
	}
	if c.Hedge != "" {
		cfg.Client.Hedge = c.Hedge
	}
	if c.HedgeNs > 0 {
		cfg.Client.HedgeDelayNs = c.HedgeNs
	}
	if c.LoadSet {
		cfg.Capacity.LoadPerSec = c.Load
	}
	if sz.Clients > 0 {
		cfg.Clients = sz.Clients
	}
	if sz.Keys > 0 {
		cfg.Keys = sz.Keys
	}
	if sz.Ops > 0 {
		cfg.OpsPerClient = sz.Ops
	}
	return cfg, cfg.Validate()
}

// ParseContenders builds the contenders: every protocol entry of
// protocols ("name" or "name:opt=value:opt=value"), times every hedging
// mode of hedges (off, p99, fixed, or a duration: fixed after it), times
// every skew of skews. Options of --opt apply to each
// entry whose protocol has them; an entry's own options win.
func ParseContenders(protocols, optText, hedges, skews string) ([]Contender, error) {
	global, err := protocol.ParseOptions(optText)
	if err != nil {
		return nil, err
	}
	var base []Contender
	used := map[string]bool{}
	for _, entry := range splitList(protocols) {
		parts := strings.Split(entry, ":")
		p, err := protocol.Lookup(parts[0])
		if err != nil {
			return nil, err
		}
		opts := protocol.Options{}
		for name, v := range global {
			if slices.ContainsFunc(p.Options, func(d protocol.OptionDoc) bool { return d.Name == name }) {
				opts[name] = v
				used[name] = true
			}
		}
		own, err := protocol.ParseOptions(strings.Join(parts[1:], ","))
		if err != nil {
			return nil, fmt.Errorf("protocol entry %q: %w", entry, err)
		}
		for name, v := range own {
			opts[name] = v
		}
		if err := opts.Validate(p); err != nil {
			return nil, err
		}
		base = append(base, Contender{Label: entry, Protocol: p.Name, Opts: opts, SkewNs: -1})
	}
	if len(base) == 0 {
		return nil, fmt.Errorf("--protocols names no protocol")
	}
	for name := range global {
		if !used[name] {
			return nil, fmt.Errorf("--opt %s: none of the protocols has that option (see casim protocols)", name)
		}
	}
	out, err := vary(base, hedges, "hedge", func(c *Contender, v string) error {
		if slices.Contains([]sim.HedgeMode{sim.HedgeOff, sim.HedgeFixed, sim.HedgeP99}, sim.HedgeMode(v)) {
			c.Hedge = sim.HedgeMode(v)
			return nil
		}
		// A duration: hedge after that fixed delay, e.g. below the attempt
		// timeout, where the running p99 may not be.
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("--hedge %q: want off, p99, fixed or a delay such as 10ms", v)
		}
		c.Hedge, c.HedgeNs = sim.HedgeFixed, d.Nanoseconds()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return vary(out, skews, "skew", func(c *Contender, v string) error {
		if v == "0" {
			c.SkewNs = 0
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("--skews %q: want durations >= 0 such as 0,100us,1ms", v)
		}
		c.SkewNs = d.Nanoseconds()
		return nil
	})
}

// vary makes one copy of each config per value of the comma-separated
// list (none if the list is empty), labelled "name=value".
func vary(cs []Contender, list, name string, set func(*Contender, string) error) ([]Contender, error) {
	values := splitList(list)
	if len(values) == 0 {
		return cs, nil
	}
	var out []Contender
	for _, c := range cs {
		for _, v := range values {
			d := c
			if err := set(&d, v); err != nil {
				return nil, err
			}
			d.Label += " " + name + "=" + v
			out = append(out, d)
		}
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
