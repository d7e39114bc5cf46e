package register

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

func TestEval(t *testing.T) {
	t1 := protocol.Token{TimeNs: 10, Nonce: 1}
	x5 := Value{Has: true, V: 5}
	applied := x5.With(t1, protocol.Session{}, Applied, true, 5)
	failed := x5.With(t1, protocol.Session{}, CompareFailed, true, 5)
	tomb := x5.With(t1, protocol.Session{}, NotApplied, true, 5)
	req := func(k model.Kind, exp, v int64) protocol.Request {
		return protocol.Request{Token: t1, Op: model.Input{Kind: k, Key: "k", Expected: exp, Value: v}}
	}
	resolve := req(model.Write, 0, 9)
	resolve.Resolve = true
	for _, tc := range []struct {
		name     string
		cur      Value
		req      protocol.Request
		status   protocol.Status
		recorded bool
		writes   bool
		next     int64
	}{
		{"read", x5, req(model.Read, 0, 0), protocol.OK, false, false, 5},
		{"write", x5, req(model.Write, 0, 9), protocol.OK, false, true, 9},
		{"cas holds", x5, req(model.Cas, 5, 9), protocol.OK, false, true, 9},
		{"cas fails, recorded", x5, req(model.Cas, 4, 9), protocol.CompareFailed, false, false, 5},
		{"retry of an applied cas", applied, req(model.Cas, 4, 9), protocol.OK, true, false, 5},
		{"retry of a failed cas must not apply", failed, req(model.Cas, 5, 9), protocol.CompareFailed, true, false, 5},
		{"resolve, absent", x5, resolve, protocol.NotApplied, false, false, 5},
		{"resolve, applied", applied, resolve, protocol.OK, true, false, 5},
		{"resolve, failed", failed, resolve, protocol.CompareFailed, true, false, 5},
		{"resolve again after a tombstone", tomb, resolve, protocol.NotApplied, true, false, 5},
		{"a late write after its resolve must not apply", tomb, req(model.Write, 0, 9), protocol.NotApplied, true, false, 5},
		{"a late cas after its resolve must not apply", tomb, req(model.Cas, 5, 9), protocol.NotApplied, true, false, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Eval(tc.cur, tc.req, 0)
			require.Equal(t, tc.status, r.Reply.Status)
			require.Equal(t, tc.recorded, r.Recorded)
			require.Equal(t, tc.writes, r.Writes)
			require.Equal(t, tc.next, r.Next.V)
			if tc.status == protocol.CompareFailed && !tc.recorded {
				_, found, _ := r.Next.Lookup(tc.req.Token, protocol.Session{})
				require.True(t, found, "a failed compare is recorded")
			}
			if tc.req.Resolve && !tc.recorded {
				o, found, _ := r.Next.Lookup(tc.req.Token, protocol.Session{})
				require.True(t, found && o == NotApplied, "a resolve records its tombstone")
			}
		})
	}
	// A token that may have been evicted is unknown, never evaluated again.
	old := x5
	for i := range 40 {
		old = old.With(protocol.Token{TimeNs: int64(100 + i)}, protocol.Session{}, Applied, true, 5)
	}
	r := Eval(old, req(model.Cas, 5, 9), 0)
	require.Equal(t, protocol.Unknown, r.Reply.Status)
	require.True(t, r.Recorded)
}

// Equal tells values apart by data and by outcomes: a failed cas leaves
// the data as it was but records its token, so it is a change (paxos
// completes such a proposal), while a read's empty proposal is not.
func TestValueEqual(t *testing.T) {
	t1 := protocol.Token{TimeNs: 10, Nonce: 1}
	x5 := Value{Has: true, V: 5}
	read := Eval(x5, protocol.Request{Token: t1, Op: model.Input{Kind: model.Read, Key: "k"}}, 0)
	require.True(t, read.Next.Equal(x5), "a read changes nothing")
	failed := Eval(x5, protocol.Request{Token: t1, Op: model.Input{Kind: model.Cas, Key: "k", Expected: 4, Value: 9}}, 0)
	require.False(t, failed.Next.Equal(x5), "a failed cas records its outcome")
	require.False(t, x5.Equal(Value{Has: true, V: 6}))
	require.False(t, x5.Equal(Value{V: 5}))
	require.True(t, failed.Next.Equal(x5.With(t1, protocol.Session{}, CompareFailed, true, 5)))
}
