package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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

// simFlags are the flags that run and sweep share.
type simFlags struct {
	protocol string
	optText  string
	opts     protocol.Options
	budget   time.Duration
}

func (f *simFlags) register(fs *flagSet) {
	fs.StringVar(&f.protocol, "protocol", defaultProtocol, "protocol to simulate (see casim protocols)")
	fs.StringVar(&f.optText, "opt", "", "protocol options as `name=value,...` (see casim protocols)")
	fs.DurationVar(&f.budget, "timeout", 30*time.Second, "time budget for checking each seed's history (0: none)")
}

func (f *simFlags) validate(name string, stderr io.Writer) bool {
	p, err := protocol.Lookup(f.protocol)
	if err == nil {
		f.opts, err = protocol.ParseOptions(f.optText)
	}
	if err == nil {
		err = f.opts.Validate(p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "casim %s: %v\n", name, err)
		return false
	}
	if f.budget < 0 {
		fmt.Fprintf(stderr, "casim %s: --timeout must be >= 0\n", name)
		return false
	}
	return true
}

// config is the scenario the flags describe for one seed.
func (f *simFlags) config(seed uint64) sim.Config {
	c := sim.DefaultConfig(f.protocol, seed)
	if len(f.opts) > 0 {
		c.ProtocolOptions = f.opts
	}
	return c
}
