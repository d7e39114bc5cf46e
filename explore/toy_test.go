package explore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// toyNode is a register kept at each replica alone: a write sets the
// coordinator's copy and is answered at once, a read answers from it.
// Nothing is replicated, so a read at another replica misses a write:
// not linearizable with two replicas, linearizable with one.
type toyNode struct {
	vals map[string]int64
}

func (n *toyNode) OnRequest(env *protocol.Env, from protocol.ClientID, req protocol.Request) {
	r := protocol.Reply{ID: req.ID, Token: req.Token, Status: protocol.OK}
	switch req.Op.Kind {
	case model.Write:
		n.vals[req.Op.Key] = req.Op.Value
		env.Persist(req.Op.Key, req.Op.Value)
	case model.Read:
		r.Value, r.Has = n.vals[req.Op.Key]
	}
	env.Reply(from, r)
}

func (n *toyNode) OnMessage(*protocol.Env, protocol.NodeID, protocol.Message) {}
func (n *toyNode) OnTimer(*protocol.Env, protocol.Timer)                      {}

var toy = protocol.Protocol{
	Name: "toy",
	Ops:  []model.Kind{model.Read, model.Write},
	New: func(cfg protocol.Config, st protocol.Store) protocol.Node {
		return &toyNode{vals: protocol.LoadAll[int64](st)}
	},
}

func toyConfig(replicas int, workload string) Config {
	c := NewConfig(toy, 1, 1)
	c.Replicas = replicas
	c.Workload, _ = ParseWorkload(workload)
	c.DeadlineNs = 0 // no client timers: the space is the orders of events
	return c
}

// Two clients each write once through one replica. Each client is idle,
// has its request in flight, its reply in flight (the write applied), or
// is done. With a client idle: 7 states. Both started: (sent, sent),
// (sent, applied), (applied, sent): 1 each; (applied, applied): the
// replica holds either write: 2; (done, sent) and (sent, done): the
// other invoked before or after the completion: 2 each; (done, applied)
// and (applied, done): invoked after the completion (the replica holds
// the later write) or before it (either): 3 each; (done, done): one
// before the other (2), or concurrent, with either write held and either
// completion last (the last value a client saw differs): 4, so 6. In
// all 7 + 3 + 2 + 4 + 6 + 6 = 28.
func TestToyStateCountExact(t *testing.T) {
	for _, dfs := range []bool{false, true} {
		c := toyConfig(1, "write;write")
		c.DFS = dfs
		r, err := Explore(context.Background(), c)
		require.NoError(t, err)
		require.Equal(t, int64(28), r.Unique, "dfs=%v", dfs)
		require.True(t, r.Complete)
		require.Equal(t, checker.Linearizable, r.Verdict)
		require.Equal(t, 6, r.Depth)
	}
}

// The unreplicated register is caught with two replicas, by the
// shortest path: the write completes at replica 0, then a read at
// replica 1 misses it (6 steps).
func TestToyViolationShortest(t *testing.T) {
	c := toyConfig(2, "write;read")
	r, err := Explore(context.Background(), c)
	require.NoError(t, err)
	require.Equal(t, checker.Illegal, r.Verdict)
	require.False(t, r.Complete)
	require.Len(t, r.Path, 6)
	require.Equal(t, checker.Illegal, r.Check.Verdict)
}

// Breadth first and depth first reach the same states, and a brute-force
// walk of every path (no visited set) finds exactly the states they
// count: the visited set merges only what is the same.
func TestCountsAgreeWithBruteForce(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"toy 1 replica", toyConfig(1, "write,read;read")},
		{"toy with deadlines and a crash", func() Config {
			c := toyConfig(1, "write;read")
			c.DeadlineNs = DefaultDeadlineNs
			c.Crashes = 1
			return c
		}()},
		{"toy with a duplicate", func() Config {
			c := toyConfig(2, "write;write")
			c.Dups = 1
			return c
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine(tc.cfg)
			seen := map[uint64]bool{}
			var walk func(w *world)
			walk = func(w *world) {
				seen[w.hash()] = true
				for _, ch := range w.choices(nil) {
					c := w.clone()
					out, err := c.apply(ch)
					require.NoError(t, err)
					if !out.noop {
						walk(c)
					}
				}
			}
			walk(m.initial())
			for _, dfs := range []bool{false, true} {
				c := tc.cfg
				c.DFS = dfs
				r, err := Explore(context.Background(), c)
				require.NoError(t, err)
				require.True(t, r.Complete)
				require.Equal(t, int64(len(seen)), r.Unique, "dfs=%v", dfs)
			}
		})
	}
}

// Symmetry: of two clients with the same workload, the second may not
// invoke first. Of the two writers' 28 states, 6 are mirror images of
// states kept: the 3 where only the second has started, and the 3 where
// the first invoked only after the second completed. (Where the first
// invoked while the second was busy, the history is the same as with the
// first invoking first: kept.) 22 remain.
func TestSymmetryReduces(t *testing.T) {
	c := toyConfig(1, "write;write")
	c.Symmetry = true
	r, err := Explore(context.Background(), c)
	require.NoError(t, err)
	require.True(t, r.Complete)
	require.Equal(t, int64(22), r.Unique)

	// Clients at different coordinators are not alike: no reduction.
	c = toyConfig(2, "write;write")
	full, err := Explore(context.Background(), c)
	require.NoError(t, err)
	c.Symmetry = true
	sym, err := Explore(context.Background(), c)
	require.NoError(t, err)
	require.Equal(t, full.Unique, sym.Unique)

	// The same violation is still found, as short: both clients write
	// then read at their own replica.
	c = toyConfig(2, "write/n0,read/n1;write/n0,read/n1")
	full, err = Explore(context.Background(), c)
	require.NoError(t, err)
	c.Symmetry = true
	sym, err = Explore(context.Background(), c)
	require.NoError(t, err)
	require.Equal(t, checker.Illegal, full.Verdict)
	require.Equal(t, checker.Illegal, sym.Verdict)
	require.Equal(t, len(full.Path), len(sym.Path))
	require.Less(t, sym.Unique, full.Unique)
}

// Progress gets a line per level expanded, the first with the initial
// state alone, the last at the depth reached.
func TestProgressLinePerLevel(t *testing.T) {
	var buf strings.Builder
	c := toyConfig(1, "write;write")
	c.Progress = &buf
	r, err := Explore(context.Background(), c)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, r.Depth+1)
	require.True(t, strings.HasPrefix(lines[0], "depth 0: 1 states to expand, 1 unique, 0 steps"), lines[0])
	require.True(t, strings.HasPrefix(lines[r.Depth], fmt.Sprintf("depth %d: ", r.Depth)), lines[r.Depth])
}
