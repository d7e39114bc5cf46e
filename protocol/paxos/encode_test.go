package paxos

import (
	"reflect"
	"testing"

	"github.com/casimlab/casim/protocol"
	"github.com/casimlab/casim/protocol/internal/quorum"
	"github.com/casimlab/casim/protocol/internal/register"
	"github.com/casimlab/casim/protocol/internal/rtt"
	"github.com/casimlab/casim/protocol/internal/window"
)

// EncodeState and the messages' encoders write what a replica and a
// message hold field by field (encode.go), and CloneNode copies it
// (clone.go). A field added to one of these types without a decision
// there would be left out of the state casim explore hashes, and states
// that differ in it merged: this test lists every field, and fails until
// the new one is handled and added here.
func TestEncodeStateCoversFields(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fields []string
	}{
		{node{}, []string{"cfg", "opts", "keys", "ops", "lastBallot", "rounds", "lanes", "groupCommit", "deference", "group", "quorum", "retired"}},
		{op{}, []string{"id", "client", "req", "ticket", "began", "phase", "ballot", "Round", "deferredTo", "tally", "highestPromise", "heldSeen", "inProgress", "newest",
			"promisedBefore", "commitOf", "promisers", "proposal", "reply", "riders"}},
		{acceptorState{}, []string{"Promised", "Accepted", "Committed"}},
		{Proposal{}, []string{"Ballot", "Value"}},
		{register.Value{}, []string{"Has", "V", "Outcomes"}},
		{window.Window[register.Outcome]{}, []string{"Entries", "Evicted"}},
		{window.Entry[register.Outcome]{}, []string{"Token", "Session", "Data"}},
		{window.Mark{}, []string{"Session", "TimeNs"}},
		{protocol.Session{}, []string{"Client", "Stream"}},
		{protocol.Request{}, []string{"ID", "Op", "Token", "TimeoutNs", "DeadlineNs", "Resolve", "Stream", "WaitedNs"}},
		{rtt.Round{}, []string{"Attempt", "TimerSeq", "startNs", "timed", "timeoutNs", "extended"}},
		{rtt.Estimator{}, []string{"srttNs", "rttvarNs", "hintNs", "timeouts"}},
		{rtt.Lanes{}, []string{"busy", "waiting"}},
		{rtt.Deference{}, []string{"granted", "waiting", "refused", "held"}},
		{quorum.Tally{}, []string{"seen", "OKs", "Nacks", "Need"}},
		{prepare{}, []string{"Key", "Op", "Ballot", "Ticket", "RoundNs"}},
		{promise{}, []string{"Key", "Op", "Ballot", "OK", "Promised", "Held", "Before", "Accepted", "Committed"}},
		{readReq{}, []string{"Key", "Op", "Ballot"}},
		{readResp{}, []string{"Key", "Op", "Ballot", "Committed"}},
		{propose{}, []string{"Key", "Op", "Proposal"}},
		{accepted{}, []string{"Key", "Op", "Ballot", "OK", "Promised"}},
		{commit{}, []string{"Key", "Op", "Proposal"}},
		{committed{}, []string{"Key", "Op", "Ballot"}},
	} {
		typ := reflect.TypeOf(tc.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !reflect.DeepEqual(got, tc.fields) {
			t.Errorf("%s has fields %v; encode.go and clone.go handle %v: encode (or leave out, saying why) and copy the new ones, then list them here",
				typ, got, tc.fields)
		}
	}
}
