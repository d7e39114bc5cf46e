package compare

import (
	"fmt"
	"slices"
	"strings"
)

// Scenario is one named fault setting that compare runs every
// protocol under: a --faults spec (see sim.FaultSpecHelp), so that any
// scenario of a set can be rerun by hand with casim run --faults.
type Scenario struct {
	Name  string `json:"name"`
	Spec  string `json:"faults"`
	About string `json:"about"`
}

// Sets are the named sets of --scenario-set. Counts in a spec are
// upper bounds: a seed draws between 0 and N faults of each kind, so about
// half the seeds of "partitions=1" see no partition. The partition
// scenarios fix the partition's length, so the Availability chart can
// shade one interval for every seed.
var Sets = map[string][]Scenario{
	"standard": {
		{"none", "none", "no faults: the protocols' own cost"},
		{"lossy", "none,drop=0.1,dup=0.05,reorder=0.1,reorder-max=10ms", "10% loss, 5% duplicates, 10% reordered"},
		{"minority-partition", "none,partitions=1,partition-kinds=split,partition-min=150ms,partition-max=150ms", "one replica cut off from the others for 150ms; clients reach both sides"},
		{"coordinator-isolation", "none,partitions=1,partition-kinds=isolate,partition-min=150ms,partition-max=150ms", "one replica cut off from everyone, clients too, for 150ms"},
		{"slow-node", "none,slow=1,slow-factor=20,slow-min=200ms,slow-max=400ms", "one replica's messages 20x slower for 200-400ms (gray failure)"},
		{"clock-skew", "none,skew=10ms,drift=100", "clock offsets up to ±10ms and drift up to ±100ppm"},
		{"crash-restart", "none,crashes=3,down-min=20ms,down-max=100ms,crash-after-sync=0.3", "up to 3 crash-restarts of 20-100ms"},
	},
}

// SetHelp documents the sets for compare's usage text.
func SetHelp() string {
	var b strings.Builder
	for _, name := range []string{"standard"} {
		fmt.Fprintf(&b, "--scenario-set %s runs each protocol under these scenarios (or name some: --scenario-set slow-node,lossy):\n", name)
		for _, s := range Sets[name] {
			fmt.Fprintf(&b, "  %-22s %s\n  %-22s   --faults %s\n", s.Name, s.About, "", s.Spec)
		}
	}
	return b.String()
}

// Scenarios are the scenarios the flags ask for: a set's, each with
// extra (the --faults flag) applied after its own spec, or one scenario of
// extra alone ("default" when it is empty: casim's default fault mix).
func Scenarios(set, extra string) ([]Scenario, error) {
	if set == "" {
		name := "default"
		if extra != "" {
			name = "faults"
		}
		return []Scenario{{Name: name, Spec: extra}}, nil
	}
	scs, ok := Sets[set]
	if !ok {
		// Or scenarios of the standard set by name, to run a few of them.
		scs = nil
		for _, name := range splitList(set) {
			i := slices.IndexFunc(Sets["standard"], func(s Scenario) bool { return s.Name == name })
			if i < 0 {
				return nil, fmt.Errorf("unknown scenario set or scenario %q (sets: standard; scenarios: %s)", name, standardNames())
			}
			scs = append(scs, Sets["standard"][i])
		}
	}
	out := make([]Scenario, len(scs))
	for i, s := range scs {
		out[i] = s
		if extra != "" {
			out[i].Spec += "," + extra
		}
	}
	return out, nil
}

func standardNames() string {
	var names []string
	for _, s := range Sets["standard"] {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}
