package checker

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The report of `casim check --html` says what it is about: the file and
// the verdict, in the title and at the top; porcupine's witness bars say
// what each operation did, not "witness 1/2".
func TestHTMLReportNamesFileVerdictAndWitnessOperations(t *testing.T) {
	h := hist(t, `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
1 ok cas x 1 2
2 invoke cas x 1 3
2 ok cas x 1 3`)
	r, err := Check(context.Background(), h, 0)
	require.NoError(t, err)
	require.Equal(t, Illegal, r.Verdict)
	var b bytes.Buffer
	require.NoError(t, r.WriteHTMLReport(&b, "v.jsonl"))
	page := b.String()
	require.Contains(t, page, `<title>casim check: v.jsonl: NOT linearizable: key &#34;x&#34;</title>`)
	require.Contains(t, page, `<h1 style="font: bold 16px sans-serif; margin: 8px 0">casim check: v.jsonl: NOT linearizable`)
	require.Regexp(t, `"Description":"cas\(x, 1→[23]\)","Details":"witness 1/2 \(line 3\): part of a minimal sub-history of key \\"x\\"`, page)
	require.NotContains(t, page, `"Description":"witness`)

	ok := hist(t, "0 invoke write x 1\n0 ok write x 1")
	r, err = Check(context.Background(), ok, 0)
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, r.WriteHTMLReport(&b, "ok.jsonl"))
	require.True(t, strings.Contains(b.String(), "<title>casim check: ok.jsonl: linearizable</title>"))
}
