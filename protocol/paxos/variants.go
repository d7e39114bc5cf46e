package paxos

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// The registry entries: paxos and its variants. Each variant is paxos with
// one option of type options turned on (or one client behaviour), so the
// broken rule is a single visible branch in the code.

// cassandra12126 needs a scenario of its own to show (see the package
// comment): the default one answers nearly every operation in time.
var cassandra12126 = protocol.Protocol{
	Name:        "paxos/cassandra-12126",
	Description: "a read, failed cas or resolving read answers without the empty proposal (CASSANDRA-12126)",
	Ops:         []model.Kind{model.Read, model.Write, model.Cas},
	Client:      protocol.ClientOptions{Resolve: true},
	Scenario:    "keys=1,clients=2,mix=90/10/0,retry=off,deadline=100ms,drop=0.4,window=2s",
	CatchSeeds:  1000,
	New:         factory(options{noEmptyProposal: true}),
}

func init() {
	ops := []model.Kind{model.Read, model.Write, model.Cas}
	resolve := protocol.ClientOptions{Resolve: true}
	for _, p := range []protocol.Protocol{
		{
			Name:         "paxos",
			Description:  "per-key Paxos, Cassandra LWT v1 style, with idempotency-token outcomes",
			Linearizable: true,
			Client:       resolve,
			New:          factory(options{}),
		},
		{
			Name:         "paxos2",
			Description:  "per-key Paxos with Cassandra Paxos v2's savings: read folded into prepare, reads skip the proposal when quiet",
			Linearizable: true,
			Client:       resolve,
			New:          factory(options{v2: true}),
		},
		{
			Name:        "paxos/accept-any-ballot",
			Description: "acceptor accepts proposals below its promise (ScyllaDB #6139 shape)",
			Client:      resolve,
			New:         factory(options{acceptAnyBallot: true}),
		},
		{
			Name:        "paxos/cassandra-6012",
			Description: "coordinator ignores an accepted in-progress proposal and proposes its own (CASSANDRA-6012)",
			Client:      resolve,
			New:         factory(options{ignoreInProgress: true}),
		},
		{
			Name:        "paxos/mixed-writes",
			Description: "writes bypass Paxos as quorum last-write-wins writes beside Paxos cas",
			Client:      resolve,
			New:         factory(options{mixedWrites: true}),
		},
		{
			Name:        "paxos/retry-no-token",
			Description: "client retries a timed-out operation with a fresh token (JAVA-819 shape)",
			Client:      protocol.ClientOptions{Resolve: true, FreshTokenOnRetry: true},
			New:         factory(options{}),
		},
		{
			Name:        "paxos/volatile-promise",
			Description: "acceptor answers prepare before its promise is durable; a crash-restart forgets it",
			Client:      resolve,
			// Only a crash between the promise and a lower ballot's propose
			// shows it: many short crashes on one contended key make that
			// 4 seeds in 300 (paxos passes 1000 seeds of the same).
			Scenario:   "crashes=200,down-min=50us,down-max=300us,window=1s,keys=1,clients=4,mix=20/30/50",
			CatchSeeds: 300,
			// Group commit (issue 11) makes the duelling coordinators
			// this needs rare (5 seeds in 1000 with six clients), so
			// the variant runs without it by default; it is a liveness
			// mechanism, not a safety one, and --opt group-commit=on
			// puts it back.
			Options: docs("off", "serial"),
			New:     factory(options{volatilePromise: true, soloDefault: true}),
		},
		cassandra12126,
		{
			Name: "paxos/local-serial",
			Description: "clients in every region use LOCAL_SERIAL on the same keys: each region runs its own Paxos, " +
				"and their commits overwrite each other",
			Client:   resolve,
			Topology: "geo4",
			Options:  docs("on", "local-serial"),
			New:      factory(options{localSerial: true}),
		},
	} {
		p.Ops = ops
		if p.Options == nil {
			p.Options = docs("on", "serial")
		}
		protocol.Register(p)
	}
}
