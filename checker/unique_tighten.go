package checker

// tighten draws what failed compares imply before the chains are ordered.
// A failed compare F expecting a, a having taken effect, has its point
// outside a's period [p(W_a), p(next)) in every linearization: before
// a's write, or after the next version begins. Let early be the first
// operation of a to return (a's write or a read of a) and late the last of
// a's reads, or the cas that replaced a, to be invoked.
//
//   - If early returned before F was invoked, a's period began before F,
//     so the next version must begin before F returns. When a cas replaced
//     a, that cas's point must come before F's return: its return time is
//     lowered to F's, which changes no linearization. When no cas did, the
//     next version is some other chain's first write (see glue): if only
//     one chain can provide it, the two chains are joined; else need[a]
//     records the deadline, for the chain order to heed (see kahn).
//   - If late was invoked after F returned, a's period ends after F, so
//     a's write must come after F's invoke: its invoke time is raised to
//     F's. So too when no operation that could replace a (replacers) was
//     invoked before F returned.
//   - Both at once is a violation: F lies inside a's period whatever the
//     order (Gibbons and Korach's zone of a contains F).
//
// Each change is implied by F, so deciding the changed history decides the
// original; a violation found later through a changed time names F too
// (because).
func (u *uniqueCheck) tighten() (uniqueOutcome, bool) {
	if len(u.failed) == 0 {
		return uniqueOutcome{}, true
	}
	type zone struct{ early, late int }
	zones := map[int64]zone{}
	for _, i := range u.failed {
		a := u.ops[i].expected
		w, ok := u.writer[a]
		if _, done := zones[a]; !ok || !u.taken[w] || done {
			continue
		}
		z := zone{early: w, late: -1}
		for _, r := range u.readsOf[a] {
			if u.ops[r].ret < u.ops[z.early].ret {
				z.early = r
			}
			if z.late < 0 || u.ops[r].call > u.ops[z.late].call {
				z.late = r
			}
		}
		if c, ok := u.next[a]; ok && (z.late < 0 || u.ops[c].call > u.ops[z.late].call) {
			z.late = c
		}
		zones[a] = z
	}
	rep := u.replacers()
	u.because = map[int]int{}
	u.gluedBy = map[int]int{}
	u.need = map[int64]int64{}
	g, out, ok := u.newGlue()
	if !ok {
		return out, false
	}
	for _, i := range u.failed {
		o := u.ops[i]
		z, ok := zones[o.expected]
		if !ok {
			continue
		}
		w := u.writer[o.expected]
		began := u.ops[z.early].ret < o.call
		ends := z.late >= 0 && u.ops[z.late].call > o.ret
		replaced := rep.first(o.expected) < o.ret
		switch {
		case began && ends:
			return u.illegal([]int{i, z.early, z.late, w}, nil, "%s failed its compare, but %s ended before it began and %s began after it ended: the key held %d throughout",
				u.describe(i), u.describe(z.early), u.describe(z.late), o.expected), false
		case began && !replaced:
			return u.illegal([]int{i, z.early, w}, nil, "%s failed its compare, but %s ended before it began and no write that could replace %d began before it ended",
				u.describe(i), u.describe(z.early), o.expected), false
		case began:
			if c, ok := u.next[o.expected]; ok {
				if o.ret < u.ops[c].ret {
					u.ops[c].ret, u.because[c] = o.ret, i
				}
				break
			}
			y, n := g.followers(u, o.expected, o.ret)
			x := g.chain[o.expected]
			switch {
			case n == 0:
				return u.illegal([]int{i, z.early, w}, nil, "%s failed its compare, but %s ended before it began, and every write that could replace %d before it ended must come before %d",
					u.describe(i), u.describe(z.early), o.expected, o.expected), false
			case n == 1:
				if prev, ok := g.next[x]; ok && prev != y {
					f := g.by[x]
					return u.illegal([]int{f, i, u.chains[prev][0], u.chains[y][0], z.early, w}, nil, "%s and %s both need the value after %d before they returned, from %s and from %s, the only writes that could provide it",
						u.describe(f), u.describe(i), o.expected, u.describe(u.chains[prev][0]), u.describe(u.chains[y][0])), false
				}
				if _, ok := g.next[x]; !ok {
					g.next[x], g.by[x] = y, i
				}
				head := u.chains[y][0]
				if o.ret < u.ops[head].ret {
					u.ops[head].ret = o.ret
				}
				u.gluedBy[head] = i
			default:
				if d, ok := u.need[o.expected]; !ok || o.ret < d {
					u.need[o.expected] = o.ret
				}
			}
		case ends || !replaced:
			if o.call > u.ops[w].call {
				u.ops[w].call, u.because[w] = o.call, i
			}
		}
	}
	return u.applyGlue(g)
}
