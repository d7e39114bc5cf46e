// Package lww is the idempotent last-write-wins store of Netflix's KeyValue
// abstraction over Cassandra (Netflix Technology Blog, "Introducing
// Netflix's Key-Value Data Abstraction Layer", 2024), over Cassandra's
// consistency levels and blocking read repair (Apache Cassandra
// documentation, "Tunable consistency" and "Read repair").
//
// Every write carries the client's idempotency token (the client's clock
// reading when it created the operation, and a random nonce), and the
// token is the write's last-write-wins timestamp:
//
//  1. Write: the coordinator sends (token, value) to every replica; a
//     replica keeps it if the token is above the key's current one, and
//     acknowledges either way. The coordinator answers once the write
//     consistency level (one, quorum, all) has acknowledged. A retried or
//     hedged copy of a write carries the same token, so it is a no-op.
//  2. Read: the coordinator asks every replica and waits for the read
//     level's number of answers. It takes the value with the highest
//     token. At quorum or all, if the answers disagree, it writes that
//     value back (blocking read repair) to the read level's number of
//     replicas before answering, so that no later read sees older data.
//  3. Skew bound (option max-skew): a coordinator refuses a write whose
//     token time is further than the bound from its own clock, as Netflix
//     does "to prevent silent discards". It answers Unknown, not
//     NotApplied: the refused request may be a retry of an attempt that
//     already applied.
//  4. Resolve: a resolving read asks a quorum whether the token reached
//     them. Each replica keeps a window of the tokens that reached it.
//     Found: the write is sent again to a quorum (a token found at one
//     replica may be at that one only), then answered as applied. Not found
//     anywhere: NotApplied; but that answer is not final (a copy that
//     reached only replicas outside the quorum can still be read later),
//     which is why clients do not resolve by default.
//
// Finding: answering "applied" as soon as one replica of the resolving
// quorum had the token broke linearizability: the write had reached that
// replica only, and a later quorum read without it returned an older
// write (seed 73 with resolve on, a 100ms deadline, no retries or hedges).
//
// Linearizable only with quorum levels (read + write > N) and synchronized
// clocks: the token orders writes, so a client whose clock runs behind is
// silently overwritten by an older write.
//
// Variants: read-one (reads at consistency ONE beside quorum writes) and
// no-read-repair (quorum reads answer without the blocking repair: a
// reader sees a write that reached one replica, a later reader misses it).
package lww

import (
	"time"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/window"
)

var levels = []string{"one", "quorum", "all", localQuorum, eachQuorum}

// skews are the values max-skew takes: a duration, 0 for no bound.
var skews = []string{"0", "100us", "1ms", "5ms", "20ms", "100ms"}

func optionDocs(readDefault string) []protocol.OptionDoc {
	return optionDocsLevels(readDefault, "quorum")
}

func optionDocsLevels(readDefault, writeDefault string) []protocol.OptionDoc {
	return []protocol.OptionDoc{
		{Name: "read", Values: levels, Default: readDefault, Description: "read consistency level (one, quorum, all; local-quorum, each-quorum count by region)",
			Draw: drawLevels(readDefault, writeDefault)},
		{Name: "write", Values: levels, Default: writeDefault, Description: "write consistency level",
			Draw: drawLevels("quorum", writeDefault)},
		{Name: "max-skew", Values: skews, Default: "0",
			Description: "refuse writes whose token time is further than this from the coordinator's clock (0: no bound)"},
	}
}

// drawLevels: the default sweep draws read levels that keep reads and
// writes overlapping (read + write > N), or keeps a variant's own level.
func drawLevels(readDefault, writeDefault string) []string {
	if readDefault != "quorum" || writeDefault != "quorum" {
		return nil
	}
	return []string{"quorum", "all"}
}

func init() {
	ops := []model.Kind{model.Read, model.Write}
	protocol.Register(protocol.Protocol{
		Name:         "lww",
		Description:  "Netflix KV idempotent writes: the token is the last-write-wins timestamp; quorum reads with read repair",
		Ops:          ops,
		Linearizable: true,
		Assumes:      "synchronized clocks",
		Options:      optionDocs("quorum"),
		// resolve=on is lww's zombie-write experiment (README): allowed,
		// never on by default.
		Client: protocol.ClientOptions{ResolveExperiment: true},
		New:    factory(optionDocs("quorum")),
	})
	protocol.Register(protocol.Protocol{
		Name: "lww/local-quorum",
		Description: "reads and writes at LOCAL_QUORUM from clients in every region: a read in one region " +
			"misses a write acknowledged in another",
		Ops:      ops,
		Assumes:  "synchronized clocks",
		Topology: "geo4",
		Options:  optionDocsLevels(localQuorum, localQuorum),
		New:      factory(optionDocsLevels(localQuorum, localQuorum)),
	})
	protocol.Register(protocol.Protocol{
		Name:        "lww/no-read-repair",
		Description: "quorum reads answer without blocking read repair (a new-then-old inversion)",
		Ops:         ops,
		Assumes:     "synchronized clocks",
		Options:     optionDocs("quorum"),
		New:         factoryWith(optionDocs("quorum"), true),
	})
	protocol.Register(protocol.Protocol{
		Name:        "lww/read-one",
		Description: "reads at consistency ONE beside quorum writes",
		Ops:         ops,
		Assumes:     "synchronized clocks",
		Options:     optionDocs("one"),
		New:         factory(optionDocs("one")),
	})
}

// settings are a replica's parsed options.
type settings struct {
	readN, writeN         int
	readLevel, writeLevel string
	maxSkewNs             int64
	// noReadRepair (variant no-read-repair): a read whose answers differ
	// answers without writing the newest value back.
	noReadRepair bool
}

func parse(cfg protocol.Config, docs []protocol.OptionDoc) settings {
	p := protocol.Protocol{Options: docs}
	count := func(level string) int {
		switch level {
		case "one":
			return 1
		case "all":
			return cfg.N
		}
		return cfg.Quorum()
	}
	skew, _ := time.ParseDuration(cfg.Options.Get(p, "max-skew")) // validated against skews
	read, write := cfg.Options.Get(p, "read"), cfg.Options.Get(p, "write")
	return settings{readN: count(read), writeN: count(write), readLevel: read, writeLevel: write,
		maxSkewNs: skew.Nanoseconds()}
}

func factory(docs []protocol.OptionDoc) protocol.Factory { return factoryWith(docs, false) }

func factoryWith(docs []protocol.OptionDoc, noReadRepair bool) protocol.Factory {
	return func(cfg protocol.Config, store protocol.Store) protocol.Node {
		set := parse(cfg, docs)
		set.noReadRepair = noReadRepair
		return &node{cfg: cfg, set: set, cells: protocol.LoadAll[cell](store), ops: map[uint64]*op{}}
	}
}

// cell is one key at one replica: the value with the highest token, and
// the tokens of the writes that reached it. It is persisted whole.
type cell struct {
	Token protocol.Token
	Has   bool
	V     int64
	Seen  window.Window[struct{}]
}

type node struct {
	cfg   protocol.Config
	set   settings
	cells map[string]cell
	ops   map[uint64]*op
}

// onWrite is the replica rule: the higher token wins; every token that
// arrives is remembered for resolving reads.
func (n *node) onWrite(env *protocol.Env, from protocol.NodeID, m write) {
	c := n.cells[m.Key]
	if _, seen, _ := c.Seen.Lookup(m.Token, window.Shared); !seen {
		if c.Token.Less(m.Token) {
			c.Token, c.Has, c.V = m.Token, true, m.Value
		}
		c.Seen = c.Seen.With(m.Token, window.Shared, struct{}{})
		n.cells[m.Key] = c
		env.Persist(m.Key, c)
	}
	env.Send(from, ack{Key: m.Key, Op: m.Op})
}

func (n *node) onRead(env *protocol.Env, from protocol.NodeID, m read) {
	c := n.cells[m.Key]
	_, found, known := c.Seen.Lookup(m.Token, window.Shared)
	env.Send(from, readResp{Key: m.Key, Op: m.Op, Token: c.Token, Has: c.Has, V: c.V, Found: found, Known: known})
}

func (n *node) OnMessage(env *protocol.Env, from protocol.NodeID, m protocol.Message) {
	switch m := m.(type) {
	case write:
		n.onWrite(env, from, m)
	case read:
		n.onRead(env, from, m)
	case ack:
		n.onAck(env, from, m)
	case readResp:
		n.onReadResp(env, from, m)
	}
}
