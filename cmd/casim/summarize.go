package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/casimlab/casim/checker"
)

// cmdSummarize reads the JSON lines of one or more `casim sweep --json`
// runs (the shards of one sweep, concatenated or as separate files) and
// prints one summary: totals, and the failing seeds with their replay
// commands.
func cmdSummarize(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("summarize", "[--json] FILE... (- for stdin)", stderr)
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	if st := fs.parse(args, 1<<30); st >= 0 {
		return st
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "casim summarize: name at least one file of sweep --json lines (- for stdin)")
		return exitUsage
	}
	merged := sweepTotals{Failing: []uint64{}, Stuck: []uint64{}, Unavailable: []uint64{}, Unknown: []uint64{}}
	for _, name := range fs.Args() {
		if err := merged.read(name); err != nil {
			fmt.Fprintf(stderr, "casim summarize: %v\n", err)
			return exitUsage
		}
	}
	merged.finish()
	if *asJSON {
		b, _ := json.Marshal(merged)
		fmt.Fprintln(stdout, string(b))
	} else {
		merged.print(stdout)
	}
	switch {
	case len(merged.Failing) > 0:
		return exitViolation
	case len(merged.Stuck) > 0:
		return exitStuck
	case len(merged.Unavailable) > 0:
		return exitUnavailable
	case len(merged.Unknown) > 0:
		return exitUnknown
	}
	return exitOK
}

// sweepTotals is the merged summary.
type sweepTotals struct {
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

	seen   map[uint64]bool
	replay map[uint64]string
}

func (t *sweepTotals) read(name string) error {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	if t.seen == nil {
		t.seen, t.replay = map[uint64]bool{}, map[uint64]string{}
	}
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
		var o outcome
		if err := json.Unmarshal(raw, &o); err != nil || o.Protocol == "" || o.Verdict == "" {
			return fmt.Errorf("%s line %d: not a seed line of casim sweep --json", name, line)
		}
		t.add(&o)
	}
	return sc.Err()
}

func (t *sweepTotals) add(o *outcome) {
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

func (t *sweepTotals) finish() {
	for _, s := range [][]uint64{t.Failing, t.Stuck, t.Unavailable, t.Unknown} {
		slices.Sort(s)
	}
	if t.Seeds > 0 {
		t.Missing = int(t.Last-t.First+1) - t.Seeds
	}
}

func (t *sweepTotals) print(w io.Writer) {
	fmt.Fprintf(w, "%v: %d seeds (%d..%d), %d ops (%d indeterminate), %d events, %d messages\n",
		t.Protocols, t.Seeds, t.First, t.Last, t.Ops, t.Info, t.Events, t.Messages)
	if t.Missing > 0 {
		fmt.Fprintf(w, "%d seeds in that range are missing: did every shard run?\n", t.Missing)
	}
	if t.Duplicates > 0 {
		fmt.Fprintf(w, "%d seed lines appeared twice and were counted once\n", t.Duplicates)
	}
	for _, l := range []struct {
		what  string
		seeds []uint64
	}{{"unknown", t.Unknown}, {"stuck", t.Stuck}, {"unavailable", t.Unavailable}, {"failing", t.Failing}} {
		printReproduce(w, l.what+" seeds", l.seeds, func(seed uint64) string { return t.replay[seed] })
	}
	if len(t.Failing) == 0 {
		fmt.Fprintln(w, "no violation found")
	}
}
