package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/casimlab/casim/report"
	"github.com/casimlab/casim/sim"
	"github.com/casimlab/casim/sweep"
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
	if *start > math.MaxUint64-uint64(*seeds-1) {
		fmt.Fprintf(stderr, "casim sweep: --start %d with --seeds %d runs past the last seed, %d\n", *start, *seeds, uint64(math.MaxUint64))
		return exitUsage
	}
	shardI, shardN, err := sweep.ParseShard(*shard)
	if err != nil {
		fmt.Fprintf(stderr, "casim sweep: %v\n", err)
		return exitUsage
	}
	// Ctrl-C ends the sweep early but loses nothing: the seeds already
	// started finish, and the summary (with its failing seeds) follows.
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopSignals()
	progress := isTerminal(stderr) && !*asJSON
	cfg := sweep.Config{Protocol: sf.protocol, Start: *start, Seeds: sweep.Range{Start: *start, Count: *seeds, Shard: shardI, Shards: shardN},
		Workers: *workers, Budget: sf.budget, CheckDeterminism: *checkDeterminism, Perturb: perturbForTest,
		Scenario: func(seed uint64) (sim.Scenario, error) {
			c, err := sf.config(seed)
			return sim.Scenario{Config: c}, err
		},
		Replay: func(seed uint64) string { return replayCommand(&sf, seed) },
	}
	cfg.Progress = func(o *sweep.Outcome, s *sweep.Summary) {
		if *asJSON {
			b, _ := json.Marshal(o)
			fmt.Fprintln(stdout, string(b))
		}
		if progress {
			fmt.Fprintf(stderr, "\r%d/%d seeds, %d failing", s.Seeds, cfg.Seeds.Len(), len(s.Failing))
		}
	}
	sum, err := sweep.Run(ctx, cfg)
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		fmt.Fprintf(stderr, "casim sweep: %v\n", err)
		return exitUsage
	}
	for _, m := range sum.Nondeterministic {
		printMismatch(stderr, m, "sweep")
	}
	if *asJSON {
		b, _ := json.Marshal(sum)
		fmt.Fprintln(stdout, string(b))
	} else {
		printSweep(stdout, sum, &sf)
	}
	switch {
	case sum.Interrupted:
		return exitInterrupted
	case len(sum.Nondeterministic) > 0:
		return exitNondeterministic
	case len(sum.Failing) > 0:
		return exitViolation
	case len(sum.Stuck) > 0:
		return exitStuck
	case len(sum.Unavailable) > 0:
		return exitUnavailable
	case len(sum.Unknown) > 0:
		return exitUnknown
	}
	return exitOK
}

func printSweep(w io.Writer, s *sweep.Summary, f *simFlags) {
	if s.Interrupted {
		fmt.Fprintf(w, "interrupted: %d seeds ran before the sweep was stopped\n", s.Seeds)
	}
	fmt.Fprintf(w, "%s: %d seeds from %d, %d ops (%d indeterminate), %d events, %d messages\n",
		s.Protocol, s.Seeds, s.Start, s.Ops, s.Info, s.Events, s.Messages)
	fmt.Fprintf(w, "%.0f seeds/s, %.2fM events/s, %s wall\n\n", s.SeedsPerS, s.EventsPerS/1e6,
		time.Duration(s.WallNs).Round(time.Millisecond))
	report.WriteFigures(w, s.ByOp)
	fmt.Fprintf(w, "\navailability %.2f%% (operations answered within their deadline), longest stall %s (seed %d)\n\n",
		100*s.Availability, time.Duration(s.MaxStallNs).Round(10*time.Microsecond), s.MaxStallSeed)
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
	replay := func(seed uint64) string { return replayCommand(f, seed) }
	printReproduce(w, "stuck seeds (liveness failed after the faults healed)", s.Stuck, replay)
	printReproduce(w, "unavailable seeds (an operation failed after the faults healed)", s.Unavailable, replay)
	if len(s.Failing) == 0 {
		fmt.Fprintln(w, "no violation found")
		return
	}
	printReproduce(w, "failing seeds", s.Failing, replay)
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
