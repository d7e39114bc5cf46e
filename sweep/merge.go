package sweep

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/casimlab/casim/checker"
)

// Totals merges the outcomes of sweeps run apart (the shards of one
// sweep, on many machines) into one summary: `casim summarize`.
type Totals struct {
	Protocols []string `json:"protocols"`
	Seeds     int      `json:"seeds"`
	First     uint64   `json:"first_seed"`
	Last      uint64   `json:"last_seed"`
	// Missing counts seeds between First and Last that no line covers (a
	// shard that did not run).
	Missing     int      `json:"missing"`
	Duplicates  int      `json:"duplicates"`
	Failing     []uint64 `json:"failing"`
	Stuck       []uint64 `json:"stuck"`
	Unavailable []uint64 `json:"unavailable"`
	Unknown     []uint64 `json:"unknown"`
	Ops         int64    `json:"ops"`
	Info        int64    `json:"info"`
	Events      int64    `json:"events"`
	Messages    int64    `json:"messages"`
	WallNs      int64    `json:"wall_ns"` // summed over seeds: CPU time, not elapsed
	// InTime and Availability: operations answered within their
	// deadline, over all seeds, and their share of Ops (see
	// sim.Stats.Availability); MaxStallNs: the longest stall of any seed,
	// MaxStallSeed that seed.
	InTime       int64   `json:"in_time"`
	Availability float64 `json:"availability"`
	MaxStallNs   int64   `json:"max_stall_ns"`
	MaxStallSeed uint64  `json:"max_stall_seed"`

	seen   map[uint64]bool
	replay map[uint64]string
}

// NewTotals is an empty merge.
func NewTotals() *Totals {
	return &Totals{Failing: []uint64{}, Stuck: []uint64{}, Unavailable: []uint64{}, Unknown: []uint64{}, // [] rather than null in JSON
		seen: map[uint64]bool{}, replay: map[uint64]string{}}
}

// Read adds the seed lines of `casim sweep --json` output from r; name
// names r in errors. Summary lines are skipped: the totals are recomputed
// from the seeds.
func (t *Totals) Read(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for line := 1; sc.Scan(); line++ {
		raw := sc.Bytes()
		if len(raw) == 0 {
			continue
		}
		var probe struct {
			Summary bool `json:"summary"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return fmt.Errorf("%s line %d: not a JSON line of casim sweep --json: %v", name, line, err)
		}
		if probe.Summary {
			continue // per-shard totals: recomputed from the seed lines
		}
		var o Outcome
		if err := json.Unmarshal(raw, &o); err != nil || o.Protocol == "" || o.Verdict == "" {
			return fmt.Errorf("%s line %d: not a seed line of casim sweep --json", name, line)
		}
		t.Add(&o)
	}
	return sc.Err()
}

// Add counts one outcome, once per seed.
func (t *Totals) Add(o *Outcome) {
	if t.seen[o.Seed] {
		t.Duplicates++
		return
	}
	t.seen[o.Seed] = true
	if !slices.Contains(t.Protocols, o.Protocol) {
		t.Protocols = append(t.Protocols, o.Protocol)
	}
	if t.Seeds == 0 || o.Seed < t.First {
		t.First = o.Seed
	}
	t.Last = max(t.Last, o.Seed)
	t.Seeds++
	t.Ops += int64(o.Ops)
	t.Info += int64(o.Info)
	t.Events += o.Events
	t.Messages += o.Messages
	t.WallNs += o.WallNs
	t.InTime += int64(o.InTime)
	t.Availability = float64(t.InTime) / float64(max(t.Ops, 1))
	if o.MaxStallNs > t.MaxStallNs {
		t.MaxStallNs, t.MaxStallSeed = o.MaxStallNs, o.Seed
	}
	t.replay[o.Seed] = o.Replay
	switch o.Verdict {
	case checker.Illegal:
		t.Failing = append(t.Failing, o.Seed)
	case Stuck:
		t.Stuck = append(t.Stuck, o.Seed)
	case Unavailable:
		t.Unavailable = append(t.Unavailable, o.Seed)
	case checker.Unknown:
		t.Unknown = append(t.Unknown, o.Seed)
	}
}

// Finish sorts the seed lists and counts the missing seeds; call it after
// the last Read or Add.
func (t *Totals) Finish() {
	for _, s := range [][]uint64{t.Failing, t.Stuck, t.Unavailable, t.Unknown} {
		slices.Sort(s)
	}
	if t.Seeds > 0 {
		t.Missing = int(t.Last-t.First+1) - t.Seeds
	}
}

// Replay is the command that reproduces a seed, as its line gave it.
func (t *Totals) Replay(seed uint64) string { return t.replay[seed] }
