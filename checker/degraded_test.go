package checker

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker/history"
)

// staleRead: x is written 1 then 2, both complete; a later read returns 1.
// ok read events are marked degraded when degraded is set.
func staleRead(t *testing.T, degraded bool) []history.Event {
	h := hist(t, `
0 invoke write x 1
0 ok write x 1
0 invoke write x 2
0 ok write x 2
1 invoke read x
1 ok read x 1`)
	for i := range h {
		h[i].TimeNs = int64(i+1) * 1000
	}
	h[5].Degraded = degraded
	return h
}

func TestStaleDegradedReadIsReportedNotAViolation(t *testing.T) {
	r, err := Check(context.Background(), staleRead(t, true), 0)
	require.NoError(t, err)
	require.Equal(t, Linearizable, r.Verdict)
	require.Equal(t, 1, r.Degraded.Count)
	// Write 1 completed at 2µs, write 2 (the newest before the read) at 4µs.
	require.Equal(t, int64(2000), r.Degraded.MaxStalenessNs)
	require.Empty(t, r.Degraded.Violation)
}

func TestStaleStrongReadIsFlagged(t *testing.T) {
	r, err := Check(context.Background(), staleRead(t, false), 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	require.Zero(t, r.Degraded.Count)
}

// A degraded answer keeps a weaker guarantee, and breaking it is a
// violation: a value nobody wrote, or one written only after the read.
func TestDegradedReadBreakingTheWeakGuaranteeIsFlagged(t *testing.T) {
	never := hist(t, `
0 invoke write x 1
0 ok write x 1
1 invoke read x
1 ok read x 7`)
	never[3].Degraded = true
	r, err := Check(context.Background(), never, 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	require.Equal(t, "x", r.Key)
	require.Contains(t, r.Explanation, "no operation wrote")

	future := hist(t, `
1 invoke read x
1 ok read x 5
0 invoke write x 5
0 ok write x 5`)
	future[1].Degraded = true
	r, err = Check(context.Background(), future, 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	require.Contains(t, r.Explanation, "invoked after the read returned")

	// The same read not stale (the newest value) costs no staleness.
	fresh := staleRead(t, true)
	fresh[5].Value = 2
	r, err = Check(context.Background(), fresh, 0)
	require.NoError(t, err)
	require.Equal(t, Linearizable, r.Verdict)
	require.Zero(t, r.Degraded.MaxStalenessNs)
}

func TestDegradedSurvivesJSONLines(t *testing.T) {
	h := staleRead(t, true)
	var buf bytes.Buffer
	require.NoError(t, history.WriteJSONL(&buf, h))
	require.Contains(t, buf.String(), `"degraded":true`)
	back, err := history.ParseJSONL(&buf)
	require.NoError(t, err)
	require.True(t, back[5].Degraded)
	require.False(t, back[4].Degraded)

	// The general parser (spaces defeat the fast one) agrees, and refuses
	// degraded anywhere but on an ok read.
	back, err = history.ParseJSONL(bytes.NewBufferString(`{"type": "invoke", "process": 0, "f": "read", "key": "x", "value": null}
{"type": "ok", "process": 0, "f": "read", "key": "x", "value": null, "degraded": true}`))
	require.NoError(t, err)
	require.True(t, back[1].Degraded)
	_, err = history.ParseJSONL(bytes.NewBufferString(`{"type":"invoke","process":0,"f":"write","key":"x","value":1}
{"type":"ok","process":0,"f":"write","key":"x","value":1,"degraded":true}`))
	require.ErrorContains(t, err, "degraded marks only an ok read")
}
