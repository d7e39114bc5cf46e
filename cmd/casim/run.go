package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/sim"
)

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", "[flags]", stderr)
	var sf simFlags
	sf.register(fs)
	seed := fs.Uint64("seed", 1, "the seed: it determines the faults, the workload and every random choice")
	historyPath := fs.String("history", "", "write the history (JSON Lines) to `file`")
	htmlPath := fs.String("html", "", "write porcupine's visualization of the history to `file`")
	trace := fs.Bool("trace", false, "print the run's trace, one event a line")
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	if !sf.validate("run", stderr) {
		return exitUsage
	}
	cfg := sf.config(*seed)
	opts := sim.Options{}
	if *trace {
		opts.Trace = stdout
	}
	if !*asJSON {
		printConfig(stdout, cfg)
	}
	o, err := simulate(cfg, opts, sf.budget)
	if err != nil {
		fmt.Fprintf(stderr, "casim run: %v\n", err)
		return exitUsage
	}
	if *historyPath != "" {
		if err := writeFile(*historyPath, func(w io.Writer) error { return history.WriteJSONL(w, o.result.History) }); err != nil {
			fmt.Fprintf(stderr, "casim run: %v\n", err)
			return exitUsage
		}
	}
	if *htmlPath != "" {
		if err := writeFile(*htmlPath, o.check.WriteHTML); err != nil {
			fmt.Fprintf(stderr, "casim run: %v\n", err)
			return exitUsage
		}
	}
	if *asJSON {
		b, _ := json.Marshal(o)
		fmt.Fprintln(stdout, string(b))
	} else {
		printSummary(stdout, o)
	}
	return exitStatus(o.Verdict)
}

// writeFile creates path and fills it with write, reporting either error.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// printConfig shows the configuration and drawn fault schedule first, so a
// person knows what the run is about before its verdict.
func printConfig(w io.Writer, c sim.Config) {
	fmt.Fprintf(w, "protocol %s  seed %d\n", c.Protocol, c.Seed)
	fmt.Fprintf(w, "cluster  %d replicas, %d clients × %d ops, %d keys (read %.0f%% write %.0f%% cas %.0f%%)\n",
		c.Replicas, c.Clients, c.OpsPerClient, c.Keys, 100*c.Mix.ReadRatio, 100*c.Mix.WriteRatio, 100*c.Mix.CasRatio)
	n := c.Network
	fmt.Fprintf(w, "network  latency %s + exp(mean %s), drop %.1f%%, duplicate %.1f%%\n",
		dur(n.LatencyMinNs), dur(n.LatencyMeanNs), 100*n.DropRatio, 100*n.DupRatio)
	f := c.Faults
	fmt.Fprintf(w, "faults   up to %d partitions (%s–%s) and %d crashes (%s–%s) in the first %s\n",
		f.Partitions, dur(f.PartitionMinNs), dur(f.PartitionMaxNs), f.Crashes, dur(f.DownMinNs), dur(f.DownMaxNs), dur(f.WindowNs))
	cl := c.Client
	fmt.Fprintf(w, "client   attempt timeout %s, deadline %s, backoff %s–%s\n",
		dur(cl.AttemptTimeoutNs), dur(cl.DeadlineNs), dur(cl.BackoffBaseNs), dur(cl.BackoffMaxNs))
}

func printSummary(w io.Writer, o *outcome) {
	for _, f := range o.result.Schedule {
		fmt.Fprintf(w, "fault    %-8s nodes %v from %s to %s\n", f.Kind, f.Nodes, dur(f.StartNs), dur(f.EndNs))
	}
	fmt.Fprintf(w, "\nverdict  %s", o.Verdict)
	if o.Key != "" {
		fmt.Fprintf(w, " (key %s)", o.Key)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "ops      %d (ok %d, fail %d, info %d)\n", o.Ops, o.OK, o.Fail, o.Info)
	fmt.Fprintf(w, "messages %d\nevents   %d\n", o.Messages, o.Events)
	fmt.Fprintf(w, "time     %s simulated, %s wall (check %s), %.2fM events/s\n",
		dur(o.SimNs), time.Duration(o.WallNs).Round(time.Microsecond), time.Duration(o.CheckNs).Round(time.Microsecond),
		float64(o.Events)/time.Duration(o.WallNs).Seconds()/1e6)
	fmt.Fprintf(w, "trace    %s\n", o.TraceHash)
	if o.Stopped != "" {
		fmt.Fprintf(w, "stopped  %s\n", o.Stopped)
	}
}

// dur renders nanoseconds for people.
func dur(ns int64) string { return time.Duration(ns).String() }
