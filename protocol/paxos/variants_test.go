package paxos

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// kinds lists the kinds of the messages a handler sent, and "reply" for a
// client reply.
func kinds(env *protocol.Env) []string {
	var ks []string
	for _, s := range env.Sends {
		ks = append(ks, s.Msg.Kind())
	}
	for range env.Replies {
		ks = append(ks, "reply")
	}
	return ks
}

// promiseQuorum starts op for req at node 0 and delivers promises from
// replicas 0 and 1 carrying accepted and committed proposals.
func promiseQuorum(n *node, env *protocol.Env, req protocol.Request, accepted, committed Proposal) *op {
	n.OnRequest(env, 0, req)
	o := soleOp(n)
	env.Reset()
	for from := range protocol.NodeID(2) {
		n.OnMessage(env, from, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true,
			Accepted: accepted, Committed: committed})
	}
	return o
}

// Each variant's rule, against the correct one: the same input, and what
// the coordinator sends next.
func TestCoordinatorRulesAndVariants(t *testing.T) {
	deadline := int64(1 << 40)
	read := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: deadline}
	write := protocol.Request{ID: 2, Op: model.Input{Kind: model.Write, Key: "k", Value: 7},
		Token: protocol.Token{TimeNs: 5, Nonce: 1}, DeadlineNs: deadline}
	failing := write
	failing.Op = model.Input{Kind: model.Cas, Key: "k", Expected: 99, Value: 7}
	committed := Proposal{Ballot: b(1), Value: Value{Has: true, V: 3}}
	inProgress := Proposal{Ballot: b(2), Value: Value{Has: true, V: 4}}

	// afterRead: the coordinator's next step once a read quorum answered.
	afterRead := func(opts options, req protocol.Request) []string {
		n := factory(opts)(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
		env := newEnv(0)
		o := promiseQuorum(n, env, req, committed, committed)
		env.Reset()
		for from := range protocol.NodeID(2) {
			n.OnMessage(env, from, readResp{Key: "k", Op: o.id, Ballot: o.ballot, Committed: committed})
		}
		return kinds(env)
	}
	// afterPromises: the step once a promise quorum answered with an
	// accepted proposal newer than every commit.
	afterPromises := func(opts options, req protocol.Request) []string {
		n := factory(opts)(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
		env := newEnv(0)
		promiseQuorum(n, env, req, inProgress, committed)
		return kinds(env)
	}
	// onRequest: what a write request sends first.
	onRequest := func(opts options, req protocol.Request) []string {
		n := factory(opts)(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
		env := newEnv(0)
		n.OnRequest(env, 0, req)
		return kinds(env)[:1]
	}
	three := func(k string) []string { return []string{k, k, k} }
	for _, tc := range []struct {
		name    string
		step    func(options, protocol.Request) []string
		req     protocol.Request
		variant options
		correct []string
		broken  []string
	}{
		{"a read proposes the value unchanged", afterRead, read,
			options{noEmptyProposal: true}, three("propose"), []string{"reply"}},
		{"a failed cas proposes the value unchanged", afterRead, failing,
			options{noEmptyProposal: true}, three("propose"), []string{"reply"}},
		{"an in-progress proposal is completed first", afterPromises, write,
			options{ignoreInProgress: true}, three("propose"), three("read")},
		{"a write goes through Paxos", onRequest, write,
			options{mixedWrites: true}, []string{"prepare"}, []string{"lww-write"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.correct, tc.step(options{}, tc.req), "correct protocol")
			require.Equal(t, tc.broken, tc.step(tc.variant, tc.req), "variant")
		})
	}
}

// The repair after the promises re-proposes the in-progress value, not
// the request's own.
func TestRepairProposesInProgressValue(t *testing.T) {
	n := factory(options{})(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
	env := newEnv(0)
	req := protocol.Request{ID: 2, Op: model.Input{Kind: model.Write, Key: "k", Value: 7}, DeadlineNs: 1 << 40}
	promiseQuorum(n, env, req, Proposal{Ballot: b(2), Value: Value{Has: true, V: 4}}, Proposal{Ballot: b(1)})
	require.Equal(t, int64(4), env.Sends[0].Msg.(propose).Proposal.Value.V)
}

// paxos2: the read rides on the prepare, and skips the proposal only when
// no promiser had promised past the newest commit.
func TestPaxos2ReadRules(t *testing.T) {
	read := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40}
	committed := Proposal{Ballot: b(5), Value: Value{Has: true, V: 3}}
	afterPromises := func(before Ballot, req protocol.Request) (*protocol.Env, []string) {
		n := factory(options{v2: true})(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
		env := newEnv(0)
		n.OnRequest(env, 0, req)
		o := soleOp(n)
		env.Reset()
		for from := range protocol.NodeID(2) {
			n.OnMessage(env, from, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true,
				Before: before, Accepted: committed, Committed: committed})
		}
		return env, kinds(env)
	}
	// Quiet: the last promise anyone made is the commit's own ballot.
	env, ks := afterPromises(b(5), read)
	require.Equal(t, []string{"reply"}, ks, "a quiet read answers from the promises")
	require.Equal(t, int64(3), env.Replies[0].Reply.Value)
	// Someone promised past the commit: a proposal may be in progress.
	_, ks = afterPromises(b(9), read)
	require.Equal(t, []string{"propose", "propose", "propose"}, ks, "a read after a newer promise proposes")
	// Writes never skip the proposal, and no read phase either way.
	write := protocol.Request{ID: 2, Op: model.Input{Kind: model.Write, Key: "k", Value: 7},
		Token: protocol.Token{TimeNs: 5, Nonce: 1}, DeadlineNs: 1 << 40}
	_, ks = afterPromises(b(5), write)
	require.Equal(t, []string{"propose", "propose", "propose"}, ks)
}

// A replica that refused the prepare said nothing of its commit: it is
// not sent the newest commit as a promiser that missed it would be, and
// the round goes on with the promises it has (issue 11: sixteen clients
// on one key at 20ms one-way, paxos seed 71 and paxos2 seed 38). A
// promiser that did miss the commit still gets it.
func TestRefuserIsNotSentTheMissedCommit(t *testing.T) {
	committed := Proposal{Ballot: b(5), Value: Value{Has: true, V: 3}}
	read := protocol.Request{ID: 1, Op: model.Input{Kind: model.Read, Key: "k"}, DeadlineNs: 1 << 40}
	afterPromises := func(secondCommitted Proposal) []string {
		n := factory(options{})(protocol.Config{Self: 0, N: 3}, mapStore{}).(*node)
		env := newEnv(0)
		n.OnRequest(env, 0, read)
		o := soleOp(n)
		env.Reset()
		// Replica 2 has promised a rival's higher ballot: it refuses.
		n.OnMessage(env, 2, promise{Key: "k", Op: o.id, Ballot: o.ballot, Promised: Ballot{TimeNs: o.ballot.TimeNs + 1}})
		n.OnMessage(env, 0, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Committed: committed})
		n.OnMessage(env, 1, promise{Key: "k", Op: o.id, Ballot: o.ballot, OK: true, Committed: secondCommitted})
		var to []string
		for _, s := range env.Sends {
			to = append(to, fmt.Sprintf("%s→%d", s.Msg.Kind(), s.To))
		}
		return to
	}
	require.Equal(t, []string{"read→0", "read→1", "read→2"}, afterPromises(committed),
		"both promisers have the newest commit: the round reads on")
	require.Equal(t, []string{"commit→1"}, afterPromises(Proposal{}),
		"a promiser that missed the commit is sent it")
}

// soleOp is n's only operation (the tests start one at a time).
func soleOp(n *node) *op {
	var o *op
	for _, x := range n.ops {
		o = x
	}
	return o
}
