package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sim"
)

func cmdSweep(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sweep", "[flags]", stderr)
	var sf simFlags
	sf.register(fs)
	seeds := fs.Int("seeds", 1000, "number of seeds to run")
	start := fs.Uint64("start", 1, "first seed")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "seeds run in parallel (each run is single-threaded)")
	asJSON := fs.Bool("json", false, "print one JSON line per seed and a last summary line")
	shard := fs.String("shard", "", "run only the `I/N`-th of N disjoint slices of the seeds (seeds whose offset from --start is I mod N), e.g. for a Kubernetes Indexed Job: --shard $JOB_COMPLETION_INDEX/N")
	checkDeterminism := fs.Bool("check-determinism", false, "run every seed a second time, in a second pass under another GOMAXPROCS; exit 5 if any trace hash differs")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	if ok, st := sf.validate("sweep", stdout, stderr); !ok {
		return st
	}
	if *seeds < 1 || *workers < 1 {
		fmt.Fprintln(stderr, "casim sweep: --seeds and --workers must be >= 1")
		return exitUsage
	}
	shardI, shardN, err := parseShard(*shard)
	if err != nil {
		fmt.Fprintf(stderr, "casim sweep: %v\n", err)
		return exitUsage
	}
	sw := sweeper{flags: sf, protocol: sf.protocol, budget: sf.budget, first: *start,
		seeds: shardSeeds(*start, *seeds, shardI, shardN), workers: *workers}
	sw.n = len(sw.seeds)
	// Ctrl-C ends the sweep early but loses nothing: the seeds already
	// started finish, and the summary (with its failing seeds) follows.
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopSignals()
	sw.stop = ctx.Done()
	progress := isTerminal(stderr) && !*asJSON
	hashes := map[uint64]string{}
	sum, err := sw.run(func(o *outcome, done int, s *summary) {
		if *checkDeterminism {
			hashes[o.Seed] = o.TraceHash
		}
		if *asJSON {
			b, _ := json.Marshal(o)
			fmt.Fprintln(stdout, string(b))
		}
		if progress {
			fmt.Fprintf(stderr, "\r%d/%d seeds, %d failing", done, sw.n, len(s.Failing))
		}
	})
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err == nil && *checkDeterminism {
		sum.CheckedDeterminism = true
		sum.Nondeterministic, err = sw.recheck(hashes)
	}
	if err != nil {
		fmt.Fprintf(stderr, "casim sweep: %v\n", err)
		return exitUsage
	}
	for _, m := range sum.Nondeterministic {
		m.print(stderr, "sweep")
	}
	if *asJSON {
		b, _ := json.Marshal(sum)
		fmt.Fprintln(stdout, string(b))
	} else {
		sum.print(stdout, &sf)
	}
	switch {
	case len(sum.Nondeterministic) > 0:
		return exitNondeterministic
	case len(sum.Failing) > 0:
		return exitViolation
	case len(sum.Stuck) > 0:
		return exitStuck
	case len(sum.Unknown) > 0:
		return exitUnknown
	}
	return exitOK
}

// summary is a sweep's totals, the last line of `sweep --json`.
type summary struct {
	Summary    bool        `json:"summary"`
	Protocol   string      `json:"protocol"`
	Start      uint64      `json:"start"`
	Seeds      int         `json:"seeds"`
	Failing    []uint64    `json:"failing"`
	Stuck      []uint64    `json:"stuck"`
	Unknown    []uint64    `json:"unknown"`
	Ops        int64       `json:"ops"`
	Info       int64       `json:"info"`
	Events     int64       `json:"events"`
	Messages   int64       `json:"messages"`
	WallNs     int64       `json:"wall_ns"`
	SeedsPerS  float64     `json:"seeds_per_s"`
	EventsPerS float64     `json:"events_per_s"`
	ByOp       []opFigures `json:"by_op"`
	// InTime and Availability: operations answered within their deadline,
	// over all seeds; MaxStallNs: the longest stall of any seed.
	InTime       int64   `json:"in_time"`
	Availability float64 `json:"availability"`
	MaxStallNs   int64   `json:"max_stall_ns"`
	MaxStallSeed uint64  `json:"max_stall_seed"`
	// Interrupted: the sweep was stopped (Ctrl-C) before every seed ran;
	// Seeds says how many did.
	Interrupted bool `json:"interrupted,omitempty"`

	figures byOp
	// CheckedDeterminism: every seed ran a second time under another
	// GOMAXPROCS; Nondeterministic lists those whose trace hash differed.
	CheckedDeterminism bool       `json:"checked_determinism,omitempty"`
	Nondeterministic   []mismatch `json:"nondeterministic,omitempty"`
}

func (s *summary) add(o *outcome) {
	s.Seeds++
	s.Ops += int64(o.Ops)
	s.Info += int64(o.Info)
	s.Events += o.Events
	s.Messages += o.Messages
	s.InTime += int64(o.InTime)
	s.Availability = float64(s.InTime) / float64(max(s.Ops, 1))
	if o.MaxStallNs > s.MaxStallNs {
		s.MaxStallNs, s.MaxStallSeed = o.MaxStallNs, o.Seed
	}
	s.figures.merge(&o.figures)
	switch o.Verdict {
	case checker.Illegal:
		s.Failing = append(s.Failing, o.Seed)
	case Stuck:
		s.Stuck = append(s.Stuck, o.Seed)
	case checker.Unknown:
		s.Unknown = append(s.Unknown, o.Seed)
	}
}

func (s *summary) print(w io.Writer, f *simFlags) {
	if s.Interrupted {
		fmt.Fprintf(w, "interrupted: %d seeds ran before the sweep was stopped\n", s.Seeds)
	}
	fmt.Fprintf(w, "%s: %d seeds from %d, %d ops (%d indeterminate), %d events, %d messages\n",
		s.Protocol, s.Seeds, s.Start, s.Ops, s.Info, s.Events, s.Messages)
	fmt.Fprintf(w, "%.0f seeds/s, %.2fM events/s, %s wall\n\n", s.SeedsPerS, s.EventsPerS/1e6,
		time.Duration(s.WallNs).Round(time.Millisecond))
	printFigures(w, s.ByOp)
	fmt.Fprintf(w, "\navailability %.2f%% (operations answered within their deadline), longest stall %s (seed %d)\n\n",
		100*s.Availability, latencyText(s.MaxStallNs), s.MaxStallSeed)
	if len(s.Unknown) > 0 {
		fmt.Fprintf(w, "%d seeds with verdict unknown (check budget ran out): %v\n", len(s.Unknown), s.Unknown)
	}
	if s.CheckedDeterminism && len(s.Nondeterministic) == 0 {
		fmt.Fprintln(w, "determinism: every seed gave the same trace hash a second time, under another GOMAXPROCS")
	}
	if len(s.Nondeterministic) > 0 {
		fmt.Fprintf(w, "NONDETERMINISTIC: %d seeds gave another trace hash a second time (details on stderr): %v\n",
			len(s.Nondeterministic), seedsOf(s.Nondeterministic))
	}
	s.list(w, f, "stuck seeds (liveness failed after the faults healed)", s.Stuck)
	if len(s.Failing) == 0 {
		fmt.Fprintln(w, "no violation found")
		return
	}
	s.list(w, f, "failing seeds", s.Failing)
}

// list prints up to ten seeds with the command that reproduces each.
func (s *summary) list(w io.Writer, f *simFlags, what string, seeds []uint64) {
	printReproduce(w, what, seeds, func(seed uint64) string { return replayCommand(f, seed) })
}

// sweeper runs seeds first .. first+n-1 on parallel workers, one run per
// goroutine at a time; it reports outcomes in seed order.
type sweeper struct {
	flags    simFlags
	protocol string
	budget   time.Duration
	first    uint64
	seeds    []uint64 // in order
	n        int      // len(seeds)
	workers  int
	stop     <-chan struct{} // closed: start no more seeds
}

func (sw sweeper) run(report func(o *outcome, done int, s *summary)) (*summary, error) {
	start := time.Now()
	seeds := make(chan uint64)
	type result struct {
		o   *outcome
		err error
	}
	results := make(chan result, sw.workers)
	var wg sync.WaitGroup
	for range sw.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seed := range seeds {
				cfg, err := sw.flags.config(seed)
				var o *outcome
				if err == nil {
					o, err = simulate(sim.Scenario{Config: cfg}, sim.Options{}, sw.budget, false)
				}
				if o != nil {
					o.result, o.check = nil, checker.Result{} // keep memory flat
					o.Replay = replayCommand(&sw.flags, seed)
				}
				results <- result{o, err}
			}
		}()
	}
	go func() {
	feed:
		for _, seed := range sw.seeds {
			select {
			case seeds <- seed:
			case <-sw.stop:
				break feed
			}
		}
		close(seeds)
		wg.Wait()
		close(results)
	}()
	sum := &summary{Summary: true, Protocol: sw.protocol, Start: sw.first,
		Failing: []uint64{}, Stuck: []uint64{}, Unknown: []uint64{}} // [] rather than null in --json
	pending := map[uint64]*outcome{} // finished out of order
	next := 0                        // index in sw.seeds of the next to report
	var firstErr error
	for r := range results {
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		pending[r.o.Seed] = r.o
		for next < len(sw.seeds) {
			o, ok := pending[sw.seeds[next]]
			if !ok {
				break
			}
			delete(pending, sw.seeds[next])
			next++
			sum.add(o)
			report(o, sum.Seeds, sum)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	sum.Interrupted = sum.Seeds < len(sw.seeds)
	sum.WallNs = time.Since(start).Nanoseconds()
	secs := time.Duration(sum.WallNs).Seconds()
	sum.SeedsPerS = float64(sum.Seeds) / secs
	sum.EventsPerS = float64(sum.Events) / secs
	sum.ByOp = sum.figures.final()
	return sum, nil
}

// isTerminal reports whether w is a terminal, for progress output.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
