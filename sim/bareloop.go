package sim

// BareLoop runs n events of the simplest possible discrete-event loop: a
// binary heap of value events where each event, when it fires, schedules
// one more at a pseudo-random later time. It is the yardstick for casim's
// own loop (see BenchmarkBareLoop and casim bench); it returns the number
// of events run.
func BareLoop(n int) int64 {
	type ev struct {
		at  int64
		seq uint64
		a   int32
	}
	less := func(x, y *ev) bool { return x.at < y.at || (x.at == y.at && x.seq < y.seq) }
	h := make([]ev, 0, 1024)
	var seq uint64
	push := func(e ev) {
		e.seq = seq
		seq++
		h = append(h, e)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !less(&h[i], &h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
	}
	pop := func() ev {
		top := h[0]
		last := len(h) - 1
		h[0] = h[last]
		h = h[:last]
		for i := 0; ; {
			l := 2*i + 1
			if l >= last {
				break
			}
			c := l
			if r := l + 1; r < last && less(&h[r], &h[l]) {
				c = r
			}
			if !less(&h[c], &h[i]) {
				break
			}
			h[i], h[c] = h[c], h[i]
			i = c
		}
		return top
	}
	x := uint64(0x9e3779b97f4a7c15)
	for i := range 1000 { // a standing population, like a cluster's messages in flight
		push(ev{at: int64(i), a: int32(i)})
	}
	var done int64
	for done < int64(n) {
		e := pop()
		done++
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		push(ev{at: e.at + int64(x%1_000_000), a: e.a})
	}
	return done
}
