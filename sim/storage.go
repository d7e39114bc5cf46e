package sim

import "slices"

// store is one replica's durable storage: what it persisted survives its
// crashes, everything else is rebuilt from here.
type store struct {
	records map[string]any
}

func newStore() *store { return &store{records: map[string]any{}} }

func (s *store) Get(key string) (any, bool) {
	v, ok := s.records[key]
	return v, ok
}

func (s *store) Keys() []string {
	keys := make([]string, 0, len(s.records))
	for k := range s.records {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
