package checker

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

func TestPhantomNamesTheZombieWrite(t *testing.T) {
	ev := func(typ history.Type, p int, f model.Kind, v int64, err string) history.Event {
		return history.Event{Type: typ, Process: p, F: f, Key: "x", Has: f != model.Read || typ == history.Ok, Value: v, Error: err}
	}
	h := []history.Event{
		ev(history.Invoke, 0, model.Write, 5, ""),
		ev(history.Fail, 0, model.Write, 5, "resolved-not-applied"),
		ev(history.Invoke, 1, model.Read, 0, ""),
		ev(history.Ok, 1, model.Read, 5, ""),
	}
	h[2].Has = false
	r, err := Check(context.Background(), h, 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	ph := r.Phantoms()
	require.Len(t, ph, 1)
	require.Equal(t, int64(5), ph[0].Value)
	require.Equal(t, "resolved-not-applied", ph[0].Error)
	require.Equal(t, 0, ph[0].Writer.Process)

	// A read of a value that a checked write wrote is no phantom.
	h[1] = ev(history.Ok, 0, model.Write, 5, "")
	h = append(h, ev(history.Invoke, 2, model.Read, 0, ""), ev(history.Ok, 2, model.Read, 7, ""))
	h[4].Has = false
	r, err = Check(context.Background(), h, 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	ph = r.Phantoms()
	require.Len(t, ph, 1)
	require.Equal(t, Phantom{Value: 7, NeverWritten: true}, ph[0])
	require.Contains(t, ph[0].Explain(nil), "7 was never written")

	// A read of a value a checked write wrote is no phantom: 5 above.
	for _, p := range ph {
		require.NotEqual(t, int64(5), p.Value)
	}
}

// A one-read witness of a value nothing wrote says so.
func TestWitnessOfAValueNeverWrittenSaysSo(t *testing.T) {
	h := []history.Event{
		{Type: history.Invoke, Process: 0, F: model.Read, Key: "x"},
		{Type: history.Ok, Process: 0, F: model.Read, Key: "x", Has: true, Value: 42},
	}
	r, err := Check(context.Background(), h, 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	require.Len(t, r.Witness, 1)
	ph := r.Phantoms()
	require.Len(t, ph, 1)
	require.Equal(t, "42 was never written: no operation of the history writes it, so no order of the operations can return it", ph[0].Explain(nil))
}
