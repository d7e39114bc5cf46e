package shrink

// ddmin is Zeller's delta debugging minimisation: it returns a subset of
// items for which fails holds and from which no single chunk at the finest
// granularity tried can be removed. fails(items) is assumed true. Order is
// preserved.
func ddmin[T any](items []T, fails func([]T) bool) []T {
	if len(items) == 0 {
		return items
	}
	if fails(nil) {
		return nil
	}
	n := 2
	for len(items) >= 2 {
		chunk := (len(items) + n - 1) / n
		reduced := false
		for start := 0; start < len(items); start += chunk {
			end := min(start+chunk, len(items))
			complement := append(append([]T(nil), items[:start]...), items[end:]...)
			if fails(complement) {
				items = complement
				n = max(n-1, 2)
				reduced = true
				break
			}
		}
		if !reduced {
			if chunk == 1 {
				break
			}
			n = min(2*n, len(items))
		}
	}
	return items
}
