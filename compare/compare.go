package compare

import (
	"context"
	"fmt"
	"time"

	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
)

// Comparison is one comparison: its groups (scenario × contender)
// in the order they are printed.
type Comparison struct {
	Start     uint64     `json:"start"`
	Seeds     int        `json:"seeds"`
	Scenarios []Scenario `json:"scenarios"`
	// Groups are the scenarios times the contenders, scenario by scenario.
	Groups []*Group `json:"-"`
	Sizes  Sizes    `json:"-"`
	// Budget bounds the check of each run's history (0: none).
	Budget time.Duration `json:"-"`
	// Workers is how many runs go at once (each is single-threaded).
	Workers int `json:"-"`
}

// New is the comparison of contenders under scenarios, seeds from start
// for each: every run's configuration is checked once, before any runs.
func New(start uint64, seeds int, scenarios []Scenario, contenders []Contender, sz Sizes) (*Comparison, error) {
	c := &Comparison{Start: start, Seeds: seeds, Scenarios: scenarios, Sizes: sz, Workers: 1}
	for _, sc := range scenarios {
		for _, cf := range contenders {
			if _, err := cf.Config(sc, sz, start); err != nil {
				return nil, err
			}
			c.Groups = append(c.Groups, &Group{Scenario: sc, Contender: cf, Clients: clientsOf(cf, sc, sz, start)})
		}
	}
	return c, nil
}

// Run runs every seed of every group on parallel workers. Each worker
// reduces its run to runFigures before handing it over.
func (c *Comparison) Run(ctx context.Context, progress func(done, total int)) error {
	if progress == nil {
		progress = func(int, int) {}
	}
	// Job i is seed i%Seeds of group i/Seeds.
	total := len(c.Groups) * c.Seeds
	_, err := sweep.Each(ctx, c.Workers, total, func(i int) (runFigures, error) {
		group := i / c.Seeds
		g := c.Groups[group]
		cfg, err := g.Contender.Config(g.Scenario, c.Sizes, c.Start+uint64(i%c.Seeds))
		var o *sweep.Outcome
		if err == nil {
			o, err = sweep.Simulate(sim.Scenario{Config: cfg}, sim.Options{}, c.Budget, false)
		}
		if err != nil {
			return runFigures{}, fmt.Errorf("%s under %s: %w", g.Contender.Label, g.Scenario.Name, err)
		}
		return figuresOf(group, o), nil
	}, func(i int, rf runFigures) {
		c.Groups[rf.group].add(&rf)
		progress(i+1, total)
	})
	for _, g := range c.Groups {
		g.finish()
	}
	return err
}
