package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/casimlab/casim/protocol"
)

func cmdProtocols(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("protocols", "[--json]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per protocol")
	if st := fs.parse(args, 0); st >= 0 {
		return st
	}
	w := len("protocol") // the name column fits the longest name (26 did not)
	for _, p := range protocol.All() {
		w = max(w, len(p.Name))
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "%-*s %-15s %-13s %s\n", w, "protocol", "operations", "expected", "description")
	}
	for _, p := range protocol.All() {
		ops := make([]string, len(p.Ops))
		for i, k := range p.Ops {
			ops[i] = k.String()
		}
		expect := "caught"
		if p.Linearizable {
			expect = "linearizable"
		}
		if *asJSON {
			options := append([]protocol.OptionDoc{}, p.Options...) // [] rather than null
			b, _ := json.Marshal(map[string]any{"name": p.Name, "description": p.Description, "ops": ops,
				"linearizable": p.Linearizable, "assumes": p.Assumes, "options": options, "scenario": "", "sweep_miss": p.SweepMiss, "topology": p.Topology})
			fmt.Fprintln(stdout, string(b))
			continue
		}
		fmt.Fprintf(stdout, "%-*s %-15s %-13s %s\n", w, p.Name, strings.Join(ops, ","), expect, p.Description)
		if p.Topology != "" {
			fmt.Fprintf(stdout, "%-*s   default topology: %s (--topology)\n", w, "", p.Topology)
		}
		for _, o := range p.Options {
			fmt.Fprintf(stdout, "%-*s   --opt %s=%s  %s\n", w, "", o.Name, strings.Join(o.Values, "|"), o.Description)
		}
		if p.SweepMiss != "" {
			fmt.Fprintf(stdout, "%-*s   the default sweep misses it: %s\n", w, "", p.SweepMiss)
		}
	}
	return exitOK
}
