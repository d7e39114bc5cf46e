package checker

import (
	"strings"
	"testing"

	"github.com/casimlab/casim/model"
)

func TestTimeline(t *testing.T) {
	ops := []Op{
		{Process: 0, Input: model.Input{Kind: model.Write, Value: 1}, Call: 0, Return: 1},
		{Process: 1, Input: model.Input{Kind: model.Cas, Expected: 1, Value: 2}, Call: 2, Return: 5},
		{Process: 2, Input: model.Input{Kind: model.Cas, Expected: 1, Value: 3}, Call: 3, Return: 4},
		{Process: 3, Input: model.Input{Kind: model.Read}, Output: model.Output{Has: true, Value: 3}, Call: 6, Return: 7},
		{Process: 4, Input: model.Input{Kind: model.Write, Value: 9}, Output: model.Output{Status: model.Unknown}, Call: 1, Return: Never},
	}
	got := Timeline(ops, 100)
	want := `p0 [w 1]
p1      [cas 1>2--]
p2       [cas 1>3]
p3                 [r 3]
p4     [w 9 ?...........>
`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	narrow := Timeline(ops, 20)
	if !strings.Contains(narrow, "1: p0 write(1)") || !strings.Contains(narrow, "[1]") {
		t.Fatalf("narrow timeline lacks numbered bars and legend:\n%s", narrow)
	}
	for _, l := range strings.Split(narrow, "\n") {
		if len(l) > 20 && strings.HasPrefix(l, "p") {
			t.Fatalf("row wider than 20 columns: %q", l)
		}
	}
}
