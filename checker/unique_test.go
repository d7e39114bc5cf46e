package checker

import (
	"context"
	"strings"
	"testing"
)

// uniqueCases pin which kind of conflict the unique-value check reports,
// or that it falls back, and its verdict; porcupine must agree on each.
var uniqueCases = []struct {
	name    string
	text    string
	want    Verdict
	alg     Algorithm // what decided the key under auto
	explain string    // part of the explanation, for Illegal
}{
	{"stale read: each write must come before the other", `
0 invoke write x 1
0 ok write x 1
0 invoke write x 2
0 ok write x 2
1 invoke read x
1 ok read x 1`, Illegal, Unique, "so 2 comes before 1"},
	{"read of ∅ after a completed write", `
0 invoke write x 1
0 ok write x 1
1 invoke read x
1 ok read x nil`, Illegal, Unique, "so 1 comes before ∅"},
	{"read of a value nothing wrote", `
0 invoke write x 1
0 ok write x 1
1 invoke read x
1 ok read x 7`, Illegal, Unique, "needs 7, which no operation"},
	{"read ends before its write begins", `
1 invoke read x
1 ok read x 1
0 invoke write x 1
0 ok write x 1`, Illegal, Unique, "reads the value that one writes"},
	{"two cas succeed on the same value", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
1 ok cas x 1 2
2 invoke cas x 1 3
2 ok cas x 1 3`, Illegal, Unique, "only one can follow 1"},
	{"cas chain out of order", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
2 invoke read x
2 ok read x 2
3 invoke read x
3 ok read x 1
1 ok cas x 1 2`, Illegal, Unique, "put 2 after 1"},
	{"cas that expect each other", `
0 invoke cas x 1 2
1 invoke cas x 2 1
0 ok cas x 1 2
1 ok cas x 2 1`, Illegal, Unique, "none can take effect first"},
	{"indeterminate cas seen, from a value never written", `
0 invoke cas x 5 2
1 invoke read x
1 ok read x 2`, Illegal, Unique, "needs 5"},
	{"failed compare inside its value's zone", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
3 invoke write x 3
1 fail cas x 1 2
2 invoke read x
2 ok read x 1
3 ok write x 3`, Illegal, Unique, "the key held 1 throughout"},
	{"failed compare with nothing to replace the value", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
1 fail cas x 1 2
0 invoke write x 3
0 ok write x 3`, Illegal, Unique, "no write that could replace 1"},
	{"failed compare whose only replacement must come first", `
1 invoke write x 2
1 ok write x 2
0 invoke write x 1
0 ok write x 1
2 invoke cas x 1 9
2 fail cas x 1 9`, Illegal, Unique, "must come before 1"},
	{"failed compare with one replacement that fits", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
2 invoke cas x 1 9
1 ok write x 2
2 fail cas x 1 9
3 invoke read x
3 ok read x 2`, Linearizable, Unique, ""},
	{"indeterminate write seen: it took effect", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
2 invoke read x
2 ok read x 2`, Linearizable, Unique, ""},
	{"indeterminate cas seen: it took effect", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
2 invoke read x
2 ok read x 2
1 info cas x 1 2`, Linearizable, Unique, ""},
	{"unseen indeterminate write makes a compare fail", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 5
2 invoke cas x 1 2
2 fail cas x 1 2
1 info write x 5`, Linearizable, Unique, ""},
	{"failed compare before the write it expects", `
0 invoke write x 1
1 invoke cas x 1 2
1 fail cas x 1 2
0 ok write x 1
2 invoke read x
2 ok read x 1`, Linearizable, Unique, ""},
	{"failed compare after the cas that replaced its value", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
2 invoke cas x 1 3
1 ok cas x 1 2
2 fail cas x 1 3`, Linearizable, Unique, ""},
	{"a value written twice goes to porcupine", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 1
1 ok write x 1
2 invoke read x
2 ok read x 1`, Linearizable, Porcupine, ""},
	{"a value written twice, not linearizable", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
1 ok write x 2
1 invoke write x 1
1 ok write x 1
2 invoke read x
2 ok read x 2`, Illegal, Porcupine, ""},
}

func TestUniqueCases(t *testing.T) {
	for _, tt := range uniqueCases {
		t.Run(tt.name, func(t *testing.T) {
			events := hist(t, tt.text)
			r, err := Check(context.Background(), events, 0)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.want || len(r.KeyChecks) != 1 || r.KeyChecks[0].Algorithm != tt.alg {
				t.Fatalf("verdict %s by %s, want %s by %s", r.Verdict, r.AlgorithmSummary(), tt.want, tt.alg)
			}
			if !strings.Contains(r.Explanation, tt.explain) {
				t.Fatalf("explanation %q lacks %q", r.Explanation, tt.explain)
			}
			if r.Verdict == Illegal {
				checkWitness(t, r)
			}
			p, err := CheckWith(context.Background(), events, Options{Algorithm: Porcupine})
			if err != nil || p.Verdict != tt.want {
				t.Fatalf("porcupine says %s (%v)", p.Verdict, err)
			}
			u, err := CheckWith(context.Background(), events, Options{Algorithm: Unique})
			switch {
			case err != nil:
				t.Fatal(err)
			case tt.alg == Unique && u.Verdict != tt.want:
				t.Fatalf("--algorithm unique says %s", u.Verdict)
			case tt.alg == Porcupine && (u.Verdict != Unknown || !strings.Contains(u.AlgorithmSummary(), "undecided: value 1 is written twice")):
				t.Fatalf("--algorithm unique says %s (%s), want undecided", u.Verdict, u.AlgorithmSummary())
			}
		})
	}
}

// TestAlgorithmSummary: one key per algorithm names both, and why the
// other fell back.
func TestAlgorithmSummary(t *testing.T) {
	events := hist(t, `
0 invoke write x 1
0 ok write x 1
1 invoke write y 1
1 ok write y 1
1 invoke write y 1
1 ok write y 1`)
	r, err := Check(context.Background(), events, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := `unique on 1 of 2 keys, porcupine on 1 of 2 keys (not decided by unique: "y": value 1 is written twice)`
	if got := r.AlgorithmSummary(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if r, _ := Check(context.Background(), events[:2], 0); r.AlgorithmSummary() != "unique" {
		t.Fatalf("one key: %s", r.AlgorithmSummary())
	}
}

func TestFreeList(t *testing.T) {
	f := newFreeList(5)
	steps := []struct{ k, want int }{{4, 4}, {4, 3}, {2, 2}, {4, 1}, {1, 0}, {4, -1}, {-1, -1}}
	for _, s := range steps {
		got := f.last(s.k)
		if got != s.want {
			t.Fatalf("last(%d) = %d, want %d", s.k, got, s.want)
		}
		if got >= 0 {
			f.take(got)
		}
	}
}
