package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/sim"
)

// WriteConfig describes a run's scenario in the lines `casim run` prints
// first, so that a person knows what the run is about before its verdict:
// protocol, cluster and workload, network, storage and clocks, the fault
// settings, the client, and the timing that follows from them.
func WriteConfig(w io.Writer, sc sim.Scenario) {
	c := sc.Config
	fmt.Fprintf(w, "protocol %s  seed %d", c.Protocol, c.Seed)
	if len(c.ProtocolOptions) > 0 {
		fmt.Fprintf(w, "  options %v", map[string]string(c.ProtocolOptions))
	}
	fmt.Fprintln(w)
	size := fmt.Sprintf("%d clients × %d ops", c.Clients, c.OpsPerClient)
	if sc.Ops != nil {
		// A shrunk scenario runs the operations it lists, not the
		// workload it was cut from.
		ops, clients := 0, 0
		for _, o := range sc.Ops {
			ops += len(o)
			clients += min(len(o), 1)
		}
		size = fmt.Sprintf("%s listed in the scenario, on %d of %d clients", plural(ops, "op"), clients, c.Clients)
	}
	fmt.Fprintf(w, "cluster  %s, %s (concurrency %d), %s (%s)\n",
		plural(c.Replicas, "replica"), size, c.Client.Concurrency, plural(c.Keys, "key"), describeMix(c))
	n := c.Network
	lat := describeLatency(n.Latency)
	if t := c.Topology; t != nil {
		lat = "by link (topology)"
		fmt.Fprintf(w, "topology %s\n", t.Describe())
	}
	fmt.Fprintf(w, "network  latency %s, drop %.1f%%, duplicate %.1f%%, reorder %.1f%% (up to %s)\n",
		lat, 100*n.DropRatio, 100*n.DupRatio, 100*n.ReorderRatio, dur(n.ReorderMaxNs))
	fmt.Fprintf(w, "storage  sync %s–%s;  clocks offset ±%s, drift ±%sppm\n",
		dur(c.Storage.SyncMinNs), dur(c.Storage.SyncMaxNs), dur(c.Clocks.MaxOffsetNs), num(c.Clocks.MaxDriftPPM))
	f := c.Faults
	// Aimed faults (crash-nodes, isolate-nodes) name their replicas, so
	// that "what if the primary dies" shows in the header.
	isolateAim, crashAim := "", ""
	if len(f.IsolateNodes) > 0 {
		isolateAim = fmt.Sprintf(", isolations aimed at replicas %v", f.IsolateNodes)
	}
	if len(f.CrashNodes) > 0 {
		crashAim = fmt.Sprintf(" aimed at replicas %v", f.CrashNodes)
	}
	fmt.Fprintf(w, "faults   in the first %s, up to: %d partitions %v (%s–%s%s), %d crashes%s (%s–%s), %d pauses (%s–%s), %s ×%s, %s (±%s)\n",
		dur(f.WindowNs), f.Partitions, f.PartitionKinds, dur(f.PartitionMinNs), dur(f.PartitionMaxNs), isolateAim,
		f.Crashes, crashAim, dur(f.DownMinNs), dur(f.DownMaxNs), f.Pauses, dur(f.PauseMinNs), dur(f.PauseMaxNs),
		plural(f.SlowNodes, "slow node"), num(f.SlowFactor), plural(f.ClockSteps, "clock step"), dur(f.ClockStepMaxNs))
	cl := c.Client
	fmt.Fprintf(w, "client   %s balancer, attempt timeout %s, deadline %s, retry %v (backoff %s–%s), hedge %s, resolve %v (grace %s, timeout %s)\n",
		cl.Balancer, dur(cl.AttemptTimeoutNs), dur(cl.DeadlineNs), cl.Retry, dur(cl.BackoffBaseNs), dur(cl.BackoffMaxNs), cl.Hedge, cl.Resolve,
		dur(cl.ResolveGraceNs), dur(cl.ResolveTimeoutNs))
	fmt.Fprintf(w, "timing   round trip %s; unset timeouts scale with it (liveness bound %s)\n", dur(c.RoundTripNs()), dur(c.Limits.LivenessNs))
	writeCapacity(w, c)
}

// describeMix is the mix the clients draw from. When the protocol lacks
// an operation the mix gives a share to, that share goes to the others
// (sim.Mix.For), and the header says so instead of showing a share that
// never runs.
func describeMix(c sim.Config) string {
	shares := func(m sim.Mix) string {
		return fmt.Sprintf("read %.0f%% write %.0f%% cas %.0f%%", 100*m.ReadRatio, 100*m.WriteRatio, 100*m.CasRatio)
	}
	p, err := protocol.Lookup(c.Protocol)
	if err != nil {
		return shares(c.Mix)
	}
	var lacks []string
	for k, x := range []float64{c.Mix.ReadRatio, c.Mix.WriteRatio, c.Mix.CasRatio} {
		if x > 0 && !p.Supports(model.Kind(k)) {
			lacks = append(lacks, model.Kind(k).String())
		}
	}
	if len(lacks) == 0 {
		return shares(c.Mix)
	}
	eff := c.Mix.For(p)
	var run []string
	for _, k := range p.Ops {
		x := []float64{eff.ReadRatio, eff.WriteRatio, eff.CasRatio}[k]
		run = append(run, fmt.Sprintf("%s %.0f%%", k, 100*x))
	}
	return fmt.Sprintf("%s; mix %s asked, but %s has no %s: its share went to the others",
		strings.Join(run, " "), c.Mix, c.Protocol, strings.Join(lacks, " or "))
}

func describeLatency(l sim.Latency) string {
	switch l.Dist {
	case sim.Constant:
		return dur(l.MinNs)
	case sim.Uniform:
		return fmt.Sprintf("uniform %s–%s", dur(l.MinNs), dur(l.MaxNs))
	case sim.Exponential:
		return fmt.Sprintf("%s + exponential(mean %s)", dur(l.MinNs), dur(l.MeanNs))
	}
	return fmt.Sprintf("%s + %s(mean %s, shape %s, max %s)", dur(l.MinNs), l.Dist, dur(l.MeanNs), num(l.Shape), dur(l.MaxNs))
}

// dur renders nanoseconds for people, to four significant digits: a
// drawn 827.529357ms says no more than 827.5ms does, and the scenario
// file keeps the exact value for a replay.
func dur(ns int64) string {
	d := time.Duration(ns)
	unit := time.Duration(1)
	for a := d.Abs(); a >= 10000*unit; unit *= 10 {
	}
	return d.Round(unit).String()
}

// num renders a drawn factor to four significant digits (×5.32, not
// ×5.320203959855382).
func num(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
