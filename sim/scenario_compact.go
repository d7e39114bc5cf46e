package sim

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// CompactJSON is sc as one line of JSON holding only what differs from
// the protocol's default scenario for sc's seed, which ReadScenario fills
// back in: a failure message can then carry a replayable scenario in a
// few lines instead of a hundred. The schedule and ops are always kept
// (a missing schedule would be drawn from the seed).
func (sc Scenario) CompactJSON() ([]byte, error) {
	sc.Version = ScenarioVersion
	full, err := toMap(sc)
	if err != nil {
		return nil, err
	}
	// The defaults a scenario file is read against (ReadScenario).
	def := Scenario{Version: ScenarioVersion, Config: DefaultConfig(sc.Protocol, sc.Seed)}
	def.Config.Derive() // as a completed scenario has them
	base, err := toMap(def)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{"casim_scenario": true, "protocol": true, "seed": true, "schedule": true}
	pruneDefaults(full, base, keep)
	return json.Marshal(full)
}

func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	// Numbers stay as written: a seed above 2^53 must not round.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	return m, dec.Decode(&m)
}

// pruneDefaults deletes from m every field equal to base's, descending
// into objects (ReadScenario merges a partial object into the defaults).
func pruneDefaults(m, base map[string]any, keep map[string]bool) {
	for k, v := range m {
		if keep[k] {
			continue
		}
		b, ok := base[k]
		if !ok {
			continue
		}
		if vm, isObj := v.(map[string]any); isObj {
			if bm, ok := b.(map[string]any); ok {
				pruneDefaults(vm, bm, nil)
				if len(vm) == 0 {
					delete(m, k)
				}
				continue
			}
		}
		if reflect.DeepEqual(v, b) {
			delete(m, k)
		}
	}
}
