package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casimlab/casim/protocol"
	_ "github.com/casimlab/casim/protocol/all" // register every protocol
	"github.com/casimlab/casim/sim"
)

// defaultProtocol is what run and sweep use without --protocol.
const defaultProtocol = "paxos"

// flagSet is a subcommand's flags. Parse errors are reported as one line;
// -h prints the usage.
type flagSet struct {
	*flag.FlagSet
	usage  func()
	stderr io.Writer
}

func newFlags(name, synopsis string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet("casim "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // the flag package calls it on every error
	usage := func() {
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, "Usage: casim %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return &flagSet{FlagSet: fs, usage: usage, stderr: stderr}
}

// parse parses args and rejects positional arguments beyond the number
// allowed. It returns the exit status to end with when parsing did not
// succeed, or -1 to go on.
func (fs *flagSet) parse(args []string, positional int) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.usage()
			return exitOK
		}
		fmt.Fprintf(fs.stderr, "%s: %v (see %s -h)\n", fs.Name(), err, fs.Name())
		return exitUsage
	}
	if fs.NArg() > positional {
		fmt.Fprintf(fs.stderr, "%s: unexpected argument %q (see %s -h)\n", fs.Name(), fs.Arg(positional), fs.Name())
		return exitUsage
	}
	return -1
}

// simFlags are the flags that run and sweep share: what to simulate.
type simFlags struct {
	protocol string
	optText  string
	opts     protocol.Options
	faults   string
	swarm    bool
	profile  string
	budget   time.Duration
	topoText string
	topo     *sim.Topology
}

func (f *simFlags) register(fs *flagSet) {
	fs.StringVar(&f.protocol, "protocol", defaultProtocol, "protocol to simulate (see casim protocols)")
	fs.StringVar(&f.optText, "opt", "", "protocol options as `name=value,...` (see casim protocols)")
	fs.StringVar(&f.faults, "faults", "", "change fault `settings` by name, left to right, e.g. none,partitions=2,skew=5ms (--faults help lists them); "+
		"default: none beyond the profile's (the mixture draws its own per seed; the classic profile's are "+defaultFaults()+")")
	fs.StringVar(&f.topoText, "topology", "", "where replicas and clients run: `lan|az3|geo4|FILE` (a JSON topology, as in a scenario); default: the protocol's (lan unless casim protocols says otherwise)")
	fs.BoolVar(&f.swarm, "swarm", false, "draw the whole fault configuration from the seed (swarm testing)")
	fs.StringVar(&f.profile, "profile", sim.ProfileMixture, "what each seed runs: `mixture` (workload, faults and options drawn from the seed) or classic (the fixed scenario)")
	fs.DurationVar(&f.budget, checkFlag(fs), 30*time.Second, "time budget for checking each seed's history (0: none)")
}

// validate checks the flags once, before any seed runs.
func (f *simFlags) validate(name string, stdout, stderr io.Writer) (ok bool, status int) {
	if f.faults == "help" {
		fmt.Fprintln(stdout, "--faults takes "+sim.FaultSpecHelp)
		return false, exitOK
	}
	p, err := protocol.Lookup(f.protocol)
	if err == nil {
		f.opts, err = protocol.ParseOptions(f.optText)
	}
	if err == nil {
		err = f.opts.Validate(p)
	}
	if err == nil {
		f.topo, err = sim.LoadTopology(f.topoText)
	}
	if err == nil {
		_, err = f.config(1)
	}
	if err == nil && f.budget < 0 {
		err = fmt.Errorf("the check's time budget must be >= 0")
	}
	if err != nil {
		fmt.Fprintf(stderr, "casim %s: %v\n", name, err)
		return false, exitUsage
	}
	return true, 0
}

// config is the configuration the flags describe for one seed.
func (f *simFlags) config(seed uint64) (sim.Config, error) {
	c, err := sim.ProfileConfig(f.profile, f.protocol, seed)
	if err != nil {
		return c, err
	}
	c.ProtocolOptions = c.ProtocolOptions.With(f.opts) // --opt fixes what it names
	if f.topoText != "" {
		c.SetTopology(f.topo.Clone())
	}
	if f.swarm {
		p, _ := protocol.Lookup(f.protocol)
		c.Swarm(p.Assumes != "synchronized clocks")
	}
	if err := c.ApplyFaults(f.faults); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// flagsFor renders the flags that reproduce a seed under these settings.
func (f *simFlags) flagsFor(seed uint64) string {
	s := fmt.Sprintf("--protocol %s --seed %d", f.protocol, seed)
	if f.optText != "" {
		s += " --opt " + shellQuote(f.optText)
	}
	if f.faults != "" {
		s += " --faults " + shellQuote(f.faults)
	}
	if f.swarm {
		s += " --swarm"
	}
	if f.topoText != "" {
		s += " --topology " + shellQuote(f.topoText)
	}
	if f.profile != sim.ProfileMixture {
		s += " --profile " + f.profile
	}
	return s
}

// defaultFaults describes the default scenario's faults in --faults terms,
// from the configuration itself, so that the help cannot drift from it.
func defaultFaults() string {
	c := sim.DefaultConfig(defaultProtocol, 1)
	n, f := c.Network, c.Faults
	return fmt.Sprintf("drop=%g,dup=%g,reorder=%g,partitions=%d,crashes=%d,pauses=%d,slow=%d,skew=%s,clients=%d,keys=%d,ops=%d",
		n.DropRatio, n.DupRatio, n.ReorderRatio, f.Partitions, f.Crashes, f.Pauses, f.SlowNodes,
		time.Duration(c.Clocks.MaxOffsetNs), c.Clients, c.Keys, c.OpsPerClient)
}

func shellQuote(s string) string {
	for _, r := range s {
		if !(r == ',' || r == '=' || r == '.' || r == '+' || r == '-' || r == '_' || r == '/' ||
			('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// checkFlag names the checker's budget flag: --timeout, except where the
// command's own --timeout means something else (shrink's whole budget).
func checkFlag(fs *flagSet) string {
	if fs.Name() == "casim shrink" {
		return "check-timeout"
	}
	return "timeout"
}

// scenarioFor is the scenario a command runs: the file named by --scenario
// (which fixes the protocol, seed and settings, so those flags may not be
// given with it), or the one the flags describe for seed. It returns the
// exit status to end with on error, or -1.
func (f *simFlags) scenarioFor(fs *flagSet, name, path string, seed uint64, stdout, stderr io.Writer) (sim.Scenario, int) {
	if path == "" {
		if ok, st := f.validate(name, stdout, stderr); !ok {
			return sim.Scenario{}, st
		}
		cfg, _ := f.config(seed)
		return sim.NewScenario(cfg), -1
	}
	var conflict string
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "protocol", "seed", "opt", "faults", "swarm", "topology", "profile":
			conflict = fl.Name
		}
	})
	if conflict != "" {
		fmt.Fprintf(stderr, "casim %s: --%s cannot be combined with --scenario: the scenario fixes it (edit the file instead)\n", name, conflict)
		return sim.Scenario{}, exitUsage
	}
	sc, err := readScenario(path)
	if err == nil {
		// The protocol's options are checked when the run starts; check
		// them now, before anything is printed about the run.
		var p protocol.Protocol
		if p, err = protocol.Lookup(sc.Protocol); err == nil {
			if err = sc.ProtocolOptions.Validate(p); err != nil {
				err = fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "casim %s: %v\n", name, err)
		return sim.Scenario{}, exitUsage
	}
	return sc, -1
}
