package explore

import (
	"fmt"
	"strings"
)

// ApplyBudget reads the fault budget as casim explore --faults takes it,
// "crashes=N,dups=N", into c.
func (cfg *Config) ApplyBudget(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		var n int
		if _, err := fmt.Sscanf(v, "%d", &n); !ok || err != nil || n < 0 {
			return fmt.Errorf("--faults: %q is not name=count", kv)
		}
		switch k {
		case "crashes":
			cfg.Crashes = n
		case "dups":
			cfg.Dups = n
		default:
			return fmt.Errorf("--faults: explore takes crashes and dups, not %q", k)
		}
	}
	return nil
}

// ApplyResolve reads casim explore's --resolve: on, off, or default (the
// protocol's own client setting, which NewConfig set).
func (cfg *Config) ApplyResolve(s string) error {
	switch s {
	case "on":
		cfg.Resolve = true
	case "off":
		cfg.Resolve = false
	case "default":
	default:
		return fmt.Errorf("--resolve must be on, off or default, got %q", s)
	}
	return nil
}
