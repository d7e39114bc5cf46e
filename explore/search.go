package explore

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"time"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/checker/history"
)

// Result is what an exploration found.
type Result struct {
	// States counts the successors generated (each step taken from an
	// expanded state, a state reached again included); Unique the
	// distinct states (under delay bounding, the distinct pairs of a
	// state and the delays it was reached with); Pruned the steps that
	// changed nothing but the message or timer they used up (see
	// outcome.noop).
	States, Unique, Pruned int64
	// Slept counts the steps that sleep sets left untaken, Reexpanded
	// the states expanded again with a smaller sleep set (sleep.go),
	// Eager the states expanded by one eager delivery alone (eager.go).
	Slept, Reexpanded, Eager int64
	// Depth is the deepest level of steps reached.
	Depth   int
	Elapsed time.Duration
	// Complete: every reachable state was expanded. Stopped says which
	// bound stopped the search when it is not.
	Complete bool
	Stopped  string
	// Verdict is checker.Illegal when a reachable history is not
	// linearizable, else checker.Linearizable (which, without Complete,
	// means only that none was found).
	Verdict checker.Verdict
	// Path is the counterexample's steps from the initial state, History
	// its history and Check its check (with a witness).
	Path    []Choice
	History []history.Event
	Check   checker.Result
	// Checks counts the distinct histories checked.
	Checks int
	// histories are the canonical hashes of those histories, and
	// terminals those of the states with no step left (breadth first),
	// for the tests that compare searches.
	histories, terminals map[uint64]bool
}

// StatesPerSecond is the rate of generated states.
func (r Result) StatesPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.States) / r.Elapsed.Seconds()
}

// Explore searches every state of cfg's model reachable within its
// bounds, breadth first (so that a counterexample is a shortest one) or
// depth first, and checks the history of each state where an operation
// completed.
func Explore(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	s := &search{cfg: cfg, m: newMachine(cfg), ctx: ctx, start: time.Now(),
		verdicts: map[uint64]bool{}, terminals: map[uint64]bool{}}
	if cfg.Timeout > 0 {
		s.deadline = s.start.Add(cfg.Timeout)
	}
	if cfg.MaxMemoryBytes > 0 {
		// Near the bound, the collector works harder rather than let
		// garbage reach it.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(cfg.MaxMemoryBytes)))
	}
	var err error
	if cfg.DFS && cfg.Delays < 0 {
		err = s.dfs()
	} else {
		err = s.bfs()
	}
	if s.cut && s.res.Stopped == "" && cfg.Delays < 0 {
		s.res.Stopped = fmt.Sprintf("max-depth (%d)", cfg.MaxDepth)
	}
	r := s.res
	r.Unique = int64(len(s.parent))
	r.Elapsed = time.Since(s.start)
	r.Checks = len(s.verdicts)
	r.histories, r.terminals = s.verdicts, s.terminals
	if r.Verdict == "" {
		r.Verdict = checker.Linearizable
	}
	if cfg.Delays >= 0 && s.cut && r.Stopped == "" {
		r.Stopped = fmt.Sprintf("delays (%d)", cfg.Delays)
	}
	r.Complete = r.Stopped == "" && r.Verdict == checker.Linearizable
	if r.Verdict == checker.Illegal {
		r.Stopped = ""
	}
	return r, err
}

type search struct {
	cfg      Config
	m        *machine
	ctx      context.Context
	start    time.Time
	deadline time.Time
	// visited maps a state's hash to its index in parent and via.
	visited visitedSet
	parent  []int32
	via     steps
	depthOf []uint16 // DFS only: the shallowest depth a state was reached at
	// verdicts caches the check of each history (by canonical hash).
	verdicts map[uint64]bool
	// terminals are the states expanded with no step left.
	terminals map[uint64]bool
	res       Result
	scratch   []Choice
	ticks     int
	// cut: the depth bound left a state with steps unexpanded.
	cut bool
	// path and chain are rebuild's: the worlds of the last path rebuilt,
	// and scratch.
	path  []item
	chain []int32
}

// bound reports, now and then, whether a bound other than depth stops the
// search, and records which.
func (s *search) bound() bool {
	if s.res.Stopped != "" {
		return true
	}
	s.ticks++
	if s.cfg.MaxStates > 0 && len(s.parent) >= s.cfg.MaxStates {
		s.res.Stopped = fmt.Sprintf("max-states (%d)", s.cfg.MaxStates)
		return true
	}
	if s.ticks&1023 != 0 {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		s.res.Stopped = "interrupted"
		return true
	}
	if !s.deadline.IsZero() && time.Now().After(s.deadline) {
		s.res.Stopped = fmt.Sprintf("timeout (%s)", s.cfg.Timeout)
		return true
	}
	if s.cfg.MaxMemoryBytes > 0 && s.ticks&(16*1024-1) == 0 {
		// The heap the last collection found live, not HeapAlloc (with
		// its garbage: casim runs with GOGC=400). The soft limit (set in
		// Explore) keeps garbage under the bound, so with the live heap
		// near it every collection frees little and the next comes at
		// once: a search there crawled (caspaxos at a 2 GiB bound: 20
		// minutes of CPU without stopping). It stops at nine tenths.
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		if b := live[0].Value.Uint64(); b > s.cfg.MaxMemoryBytes/10*9 {
			s.res.Stopped = fmt.Sprintf("memory (live heap %d MiB of the %d MiB bound)", b>>20, s.cfg.MaxMemoryBytes>>20)
			return true
		}
	}
	return false
}

// add records a new state; it reports false if it was known.
func (s *search) add(h uint64, parent int32, ch Choice) (int32, bool) {
	if id, ok := s.visited.get(h); ok {
		return id, false
	}
	id := s.visited.add(h)
	s.parent = append(s.parent, parent)
	s.via.add(ch)
	return id, true
}

// legal checks w's history (cached by its canonical hash).
func (s *search) legal(w *world) bool {
	if ok, seen := s.verdicts[w.histHash]; seen {
		return ok
	}
	r, err := checker.CheckWith(s.ctx, w.hist, checker.Options{NoWitness: true})
	ok := err != nil || r.Verdict != checker.Illegal
	s.verdicts[w.histHash] = ok
	return ok
}

// found records a violation reached at state id (world w).
func (s *search) found(id int32, w *world) {
	var path []Choice
	for i := id; i > 0; i = s.parent[i] {
		path = append(path, s.via.at(i))
	}
	slices.Reverse(path)
	s.res.Verdict = checker.Illegal
	s.res.Path = path
	s.res.History = w.hist
	s.res.Check, _ = checker.CheckWith(s.ctx, w.hist, checker.Options{})
}

// step generates the successor of w by ch. It returns nil for a pruned
// step.
func (s *search) step(w *world, ch Choice) (*world, outcome, error) {
	return s.stepKeep(w, ch, false)
}

// stepKeep is step; keep keeps a step that did nothing (the default
// schedule must be able to use up a message).
func (s *search) stepKeep(w *world, ch Choice, keep bool) (*world, outcome, error) {
	c := w.clone()
	out, err := c.apply(ch)
	if err != nil {
		return nil, out, err
	}
	if out.noop && !keep {
		s.res.Pruned++
		return nil, out, nil
	}
	s.res.States++
	return c, out, nil
}

// item is a state of a breadth-first level: its id, the delays it was
// reached with (delay bounding) and its world (kept under delay bounding
// only). 16 bytes: a level can hold millions.
type item struct {
	id     int32
	delays int32
	w      *world
}

// stateKey is the visited-set key of w: its hash, with the order of the
// messages in flight under delay bounding.
func (s *search) stateKey(w *world) uint64 {
	h := w.hash()
	if s.cfg.Delays >= 0 {
		h = hashWords(h, w.orderHash())
	}
	return h
}

func (s *search) bfs() error {
	w0 := s.m.initial()
	s.add(s.stateKey(w0), -1, Choice{})
	frontier := []item{{0, 0, w0}}
	var sl *sleepStore // non-nil with sleep sets
	if s.cfg.sleepSets() {
		sl = &sleepStore{}
		sl.add(nil)
	}
	var asleep, done, zc []sleeper
	var minDelays map[uint64]int // non-nil under delay bounding
	if s.cfg.Delays >= 0 {
		minDelays = map[uint64]int{}
	}
	for depth := 0; len(frontier) > 0; depth++ {
		s.res.Depth = depth
		s.progress(depth, len(frontier))
		if s.cfg.MaxDepth > 0 && depth >= s.cfg.MaxDepth {
			for _, it := range frontier {
				if it.w == nil {
					w, err := s.rebuild(it.id)
					if err != nil {
						return err
					}
					it.w = w
				}
				if len(it.w.choices(s.scratch)) > 0 {
					s.cut = true
					break
				}
			}
			return nil
		}
		var next []item
		for fi, it := range frontier {
			frontier[fi].w = nil // let it go once expanded
			if s.bound() {
				return nil
			}
			if it.w == nil {
				w, err := s.rebuild(it.id)
				if err != nil {
					return err
				}
				it.w = w
			}
			chs := it.w.choices(s.scratch)
			s.scratch = chs
			if len(chs) == 0 {
				s.terminals[s.visited.hashOf[it.id]] = true
			}
			def, hasDef := Choice{}, false
			if minDelays != nil {
				def, hasDef = it.w.defaultChoice()
			}
			if sl != nil {
				asleep = sl.get(it.id, asleep[:0])
				sl.expanded[it.id] = true
				done = done[:0]
				if ch, ok := it.w.eagerChoice(chs, asleep); ok {
					s.res.Eager++
					chs = append(chs[:0], ch)
				}
			}
			for _, ch := range slices.Clone(chs) {
				var to int32
				var indep bool
				if sl != nil {
					if to, indep = it.w.replicaDelivery(ch); indep && slices.ContainsFunc(asleep, func(z sleeper) bool { return z.hash == ch.Hash }) {
						s.res.Slept++
						continue
					}
				}
				delays := int(it.delays)
				isDef := hasDef && ch == def
				if minDelays != nil && !isDef {
					if delays++; delays > s.cfg.Delays {
						s.cut = true
						continue
					}
				}
				c, out, err := s.stepKeep(it.w, ch, isDef)
				if err != nil {
					return err
				}
				if c == nil {
					continue
				}
				key := s.stateKey(c)
				zc = zc[:0]
				if indep {
					for _, z := range asleep {
						if z.to != to {
							zc = append(zc, z)
						}
					}
					for _, z := range done {
						if z.to != to {
							zc = append(zc, z)
						}
					}
					done = append(done, sleeper{ch.Hash, to})
				}
				if minDelays != nil {
					// Under delay bounding a state is kept once per number
					// of delays it was reached with, unless reached before
					// with as few: each copy then has the path that reached
					// it at its own depth (see rebuild).
					dominated := false
					for j := 0; j <= delays && !dominated; j++ {
						_, dominated = s.visited.get(hashWords(key, uint64(j)))
					}
					if dominated {
						continue
					}
					key = hashWords(key, uint64(delays))
				}
				id, fresh := s.add(key, it.id, ch)
				if sl != nil {
					if fresh {
						sl.add(zc)
					} else if sl.intersect(id, zc) && sl.expanded[id] {
						// Reached again with steps awake that were asleep
						// when it was expanded: expand it again.
						sl.expanded[id] = false
						s.res.Reexpanded++
						next = append(next, item{id, 0, nil})
					}
				}
				if !fresh {
					continue
				}
				if out.completed && !s.legal(c) {
					s.res.Depth = depth + 1
					s.found(id, c)
					return nil
				}
				if minDelays == nil {
					// The exact search keeps no worlds: rebuilt from their
					// paths when expanded. Under delay bounding most states
					// have one successor in the bound, the tree is long
					// chains, and rebuilding each from where it left its
					// neighbour would cost its depth: worlds are kept.
					c = nil
				}
				next = append(next, item{id, int32(delays), c})
			}
		}
		frontier = next
	}
	return nil
}

// progress writes a line for the level at depth, of n states, to
// cfg.Progress.
func (s *search) progress(depth, n int) {
	if s.cfg.Progress == nil {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(s.cfg.Progress, "depth %d: %d states to expand, %d unique, %d steps, %s, heap %d MiB\n",
		depth, n, len(s.parent), s.res.States, time.Since(s.start).Round(time.Second), ms.HeapAlloc>>20)
}

// rebuild returns the world of state id from the path that reached it,
// keeping the worlds of the path in s.path: breadth first, the states of
// a level come in the order of their parents, so consecutive ones share
// all but the last steps of their paths. The exact search keeps only a
// state's parent and step (about 32 bytes with its visited entry), not
// its world, so memory bounds the unique states, not the frontier's
// worlds.
func (s *search) rebuild(id int32) (*world, error) {
	chain := s.chain[:0]
	for i := id; i >= 0; i = s.parent[i] {
		chain = append(chain, i)
	}
	slices.Reverse(chain)
	s.chain = chain
	k := 0
	for k < len(s.path) && k < len(chain) && s.path[k].id == chain[k] {
		k++
	}
	s.path = s.path[:k]
	if k == 0 {
		s.path = append(s.path, item{id: 0, w: s.m.initial()})
		k = 1
	}
	for ; k < len(chain); k++ {
		c := s.path[k-1].w.clone()
		if _, err := c.apply(s.via.at(chain[k])); err != nil {
			return nil, fmt.Errorf("rebuilding state %d: %v", id, err)
		}
		s.path = append(s.path, item{id: chain[k], w: c})
	}
	return s.path[len(s.path)-1].w, nil
}

type frame struct {
	id    int32
	w     *world
	chs   []Choice
	next  int
	depth int
}

func (s *search) dfs() error {
	w0 := s.m.initial()
	s.add(w0.hash(), -1, Choice{})
	s.depthOf = append(s.depthOf, 0)
	stack := []frame{{id: 0, w: w0, chs: w0.choices(nil)}}
	for len(stack) > 0 {
		if s.bound() {
			return nil
		}
		f := &stack[len(stack)-1]
		if f.next >= len(f.chs) {
			stack = stack[:len(stack)-1]
			continue
		}
		ch := f.chs[f.next]
		f.next++
		c, out, err := s.step(f.w, ch)
		if err != nil {
			return err
		}
		if c == nil {
			continue
		}
		d := f.depth + 1
		h := c.hash()
		id, fresh := s.add(h, f.id, ch)
		if fresh {
			s.depthOf = append(s.depthOf, uint16(min(d, 65535)))
		} else if int(s.depthOf[id]) <= d {
			continue
		} else {
			// Reached shallower than before: expand again within the
			// depth bound, and make this the path to it.
			s.depthOf[id], s.parent[id] = uint16(d), f.id
			s.via.set(id, ch)
		}
		s.res.Depth = max(s.res.Depth, d)
		if out.completed && !s.legal(c) {
			// The path is the stack's, not the parent links' (which a
			// shallower visit may have redirected).
			s.foundOnStack(stack, ch, c)
			return nil
		}
		if s.cfg.MaxDepth > 0 && d >= s.cfg.MaxDepth {
			if len(c.choices(s.scratch)) > 0 {
				s.cut = true
			}
			continue
		}
		stack = append(stack, frame{id: id, w: c, chs: c.choices(nil), depth: d})
	}
	return nil
}

func (s *search) foundOnStack(stack []frame, last Choice, w *world) {
	var path []Choice
	for i := 1; i < len(stack); i++ {
		path = append(path, stack[i-1].chs[stack[i-1].next-1])
	}
	path = append(path, last)
	s.res.Verdict = checker.Illegal
	s.res.Path = path
	s.res.History = w.hist
	s.res.Check, _ = checker.CheckWith(s.ctx, w.hist, checker.Options{})
}
