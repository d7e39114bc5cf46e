package protocol

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Options are a protocol's settings as name=value pairs, e.g. lww's
// "read=one". They come from the scenario or the command line.
type Options map[string]string

// OptionDoc documents one setting a protocol takes.
type OptionDoc struct {
	Name        string   `json:"name"`
	Values      []string `json:"values"` // allowed values; empty means any
	Default     string   `json:"default"`
	Description string   `json:"description"`
	// Draw lists the values the default sweep (sim's mixture) draws
	// among, each of which keeps the protocol's guarantee; empty: only
	// Default. --opt fixes an option instead.
	Draw []string `json:"draw"`
}

// MarshalJSON writes empty lists as [], not null, so that a reader of
// `casim protocols --json` can take every list as a list.
func (d OptionDoc) MarshalJSON() ([]byte, error) {
	type plain OptionDoc // without this method
	if d.Values == nil {
		d.Values = []string{}
	}
	if d.Draw == nil {
		d.Draw = []string{}
	}
	return json.Marshal(plain(d))
}

// With returns o with every option of p set over it (a new map; nil if
// both are empty).
func (o Options) With(p Options) Options {
	if len(p) == 0 {
		return o
	}
	m := Options{}
	for k, v := range o {
		m[k] = v
	}
	for k, v := range p {
		m[k] = v
	}
	return m
}

// Get returns the named option, or the protocol's default for it.
func (o Options) Get(p Protocol, name string) string {
	if v, ok := o[name]; ok {
		return v
	}
	for _, d := range p.Options {
		if d.Name == name {
			return d.Default
		}
	}
	return ""
}

// Validate checks o against p's documented options.
func (o Options) Validate(p Protocol) error {
	names := make([]string, 0, len(o))
	for n := range o {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		i := slices.IndexFunc(p.Options, func(d OptionDoc) bool { return d.Name == n })
		if i < 0 && len(p.Options) == 0 {
			return fmt.Errorf("protocol %s has no option %q: it takes no options", p.Name, n)
		}
		if i < 0 {
			known := make([]string, len(p.Options))
			for j, d := range p.Options {
				known[j] = d.Name
			}
			return fmt.Errorf("protocol %s has no option %q (options: %s)", p.Name, n, strings.Join(known, ", "))
		}
		if d := p.Options[i]; len(d.Values) > 0 && !slices.Contains(d.Values, o[n]) {
			return fmt.Errorf("protocol %s option %s must be one of %s, got %q", p.Name, n, strings.Join(d.Values, ", "), o[n])
		}
	}
	return nil
}

// ParseOptions reads "a=1,b=2" into Options.
func ParseOptions(s string) (Options, error) {
	o := Options{}
	if strings.TrimSpace(s) == "" {
		return o, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("option %q is not name=value", kv)
		}
		o[k] = v
	}
	return o, nil
}
