package sweep

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
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
	Missing    int `json:"missing"`
	Duplicates int `json:"duplicates"`
	Verdicts
	Load
	WallNs int64 `json:"wall_ns"` // summed over seeds: CPU time, not elapsed
	Stalls

	seen   map[uint64]bool
	replay map[uint64]string
}

// NewTotals is an empty merge.
func NewTotals() *Totals {
	return &Totals{Verdicts: newVerdicts(), seen: map[uint64]bool{}, replay: map[uint64]string{}}
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
	t.Load.add(o)
	t.WallNs += o.WallNs
	t.Stalls.add(o, t.Ops)
	t.replay[o.Seed] = o.Replay
	t.Verdicts.add(o)
}

// Finish sorts the seed lists and counts the missing seeds; call it after
// the last Read or Add.
func (t *Totals) Finish() {
	t.sort()
	if t.Seeds > 0 {
		t.Missing = int(t.Last-t.First+1) - t.Seeds
	}
}

// Replay is the command that reproduces a seed, as its line gave it.
func (t *Totals) Replay(seed uint64) string { return t.replay[seed] }
