package history

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/casimlab/casim/model"
)

// The fast path must agree with the general parser on every line it
// accepts: the same event, field for field.
func TestFastLineAgreesWithTheGeneralParser(t *testing.T) {
	var lines []string
	for _, typ := range []Type{Invoke, Ok, Fail, Info} {
		for _, f := range []model.Kind{model.Read, model.Write, model.Cas} {
			for _, key := range []string{"", "k0", "a b", "x\"y", "é"} {
				for _, has := range []bool{false, true} {
					e := Event{Type: typ, Process: 7, F: f, Key: key, Has: has, Value: -12, Expected: 40, TimeNs: 99}
					if typ == Fail {
						e.Error = "resolved-not-applied"
					}
					lines = append(lines, string(AppendJSON(nil, e)))
				}
			}
		}
	}
	// Lines the fast path must leave to the general parser (or reject).
	lines = append(lines,
		`{"type":"ok","process":1,"f":"read","value":007}`,
		`{"type":"ok","process":1,"f":"read","value":1.5}`,
		`{"type":"ok","process":1,"f":"read","value":99999999999999999999}`,
		`{"type":"ok","process":-1,"f":"read","value":1}`,
		`{"type":"ok","process":1,"f":"read","value":1} `,
		`{"type":"ok","process":1,"f":"read","value":1,"extra":2}`,
		`{"process":1,"type":"ok","f":"read","value":1}`,
		`{"type":"ok","process":1,"f":"cas","value":[1,2,3]}`,
		`{"type":"invoke","process":1,"f":"read","value":5}`,
		`{"type":"ok","process":1,"f":"write","value":null}`,
		`{"type":"ok","process":1,"f":"read","key":"a\u0041","value":1}`,
		`{"type":"ok","process":1,"f":"read","value":-0}`,
		`{"type":"ok","process":1,"f":"read","value":9223372036854775807}`,
	)
	for _, l := range lines {
		fast, ok := fastLine([]byte(l), 3)
		if !ok {
			continue
		}
		slow, err := parseSlow([]byte(l), 3)
		require.NoError(t, err, "the fast path accepted a line the general parser rejects: %s", l)
		require.Equal(t, slow, fast, l)
	}
}

// parseSlow is the general parser alone.
func parseSlow(b []byte, line int) (Event, error) {
	return parseJSONLineGeneral(b, line, NewValidator())
}

func TestParseJSONLStillReportsLines(t *testing.T) {
	var buf bytes.Buffer
	for i := range 5 {
		buf.WriteString(string(AppendJSON(nil, Event{Type: Invoke, Process: i, F: model.Write, Has: true, Value: int64(i)})) + "\n")
	}
	buf.WriteString(`{"type":"ok","process":2,"f":"write","value":99}` + "\n")
	_, err := ParseJSONL(&buf)
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "line 6:"), err.Error())
}
