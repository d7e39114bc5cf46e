package checker

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/anishathalye/porcupine"

	"github.com/casimlab/casim/checker/history"
	"github.com/casimlab/casim/model"
)

// checkCases is the checker's verdict table. Each history is small enough
// to verify by hand; the comment says why the verdict is what it is.
var checkCases = []struct {
	name string
	text string
	want Verdict
	key  string // failing key, for Illegal
}{
	{"empty", "", Linearizable, ""},
	{"write then read", `
0 invoke write x 1
0 ok write x 1
1 invoke read x
1 ok read x 1`, Linearizable, ""},
	{"read before any write is empty", `
1 invoke read x
1 ok read x nil`, Linearizable, ""},
	{"stale read after a completed write", `
0 invoke write x 1
0 ok write x 1
0 invoke write x 2
0 ok write x 2
1 invoke read x
1 ok read x 1`, Illegal, "x"},
	{"read of a value never written", `
1 invoke read x
1 ok read x 7`, Illegal, "x"},
	{"empty read after a completed write", `
0 invoke write x 1
0 ok write x 1
1 invoke read x
1 ok read x nil`, Illegal, "x"},
	{"concurrent read may see the old value", `
0 invoke write x 1
0 ok write x 1
0 invoke write x 2
1 invoke read x
1 ok read x 1
0 ok write x 2`, Linearizable, ""},
	{"cas succeeds on the expected value", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
1 ok cas x 1 2
2 invoke read x
2 ok read x 2`, Linearizable, ""},
	{"cas succeeds on the wrong value", `
0 invoke write x 3
0 ok write x 3
1 invoke cas x 1 2
1 ok cas x 1 2`, Illegal, "x"},
	{"cas on an empty key cannot succeed", `
1 invoke cas x 0 2
1 ok cas x 0 2`, Illegal, "x"},
	{"cas on an empty key fails its compare", `
1 invoke cas x 0 2
1 fail cas x 0 2`, Linearizable, ""},
	{"failed compare although the key held the value", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
1 fail cas x 1 2`, Illegal, "x"},
	{"failed compare concurrent with a write", `
0 invoke write x 1
0 ok write x 1
0 invoke write x 3
1 invoke cas x 1 2
1 fail cas x 1 2
0 ok write x 3`, Linearizable, ""},
	{"two cas expecting the same value both succeed", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
2 invoke cas x 1 3
1 ok cas x 1 2
2 ok cas x 1 3`, Illegal, "x"},
	{"HISTORY.md example: info cas took effect", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
2 invoke read x
2 ok read x 2
1 info cas x 1 2`, Linearizable, ""},
	{"info write that never took effect", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
1 info write x 2
2 invoke read x
2 ok read x 1`, Linearizable, ""},
	{"info write seen, then the value before it", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
2 invoke read x
2 ok read x 2
2 invoke read x
2 ok read x 1
1 info write x 2`, Illegal, "x"},
	{"info cas cannot apply to a value it does not expect", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 5 2
1 info cas x 5 2
2 invoke read x
2 ok read x 2`, Illegal, "x"},
	{"invoke with no completion is info", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
2 invoke read x
2 ok read x 2`, Linearizable, ""},
	{"unobserved info write makes a compare fail", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 5
2 invoke cas x 1 2
2 fail cas x 1 2
1 info write x 5`, Linearizable, ""},
	{"info read constrains nothing", `
0 invoke read x
0 info read x 9`, Linearizable, ""},
	{"fail with error did not take effect", `
0 invoke write x 1
0 ok write x 1
1 invoke write x 2
1 fail write x 2 error=unavailable
2 invoke read x
2 ok read x 2`, Illegal, "x"},
	{"fail on write did not take effect, with no error too", `
1 invoke write x 2
1 fail write x 2
2 invoke read x
2 ok read x 2`, Illegal, "x"},
	{"cas fail with error is dropped, not a failed compare", `
0 invoke write x 1
0 ok write x 1
1 invoke cas x 1 2
1 fail cas x 1 2 error=resolved-not-applied
2 invoke read x
2 ok read x 1`, Linearizable, ""},
	{"keys are independent registers", `
0 invoke write x 1
0 ok write x 1
1 invoke read y
1 ok read y nil
1 invoke read x
1 ok read x 1`, Linearizable, ""},
	{"multi-key: one key fails", `
0 invoke write x 1
0 ok write x 1
0 invoke write y 1
0 ok write y 1
1 invoke read x
1 ok read x 1
1 invoke read z
1 ok read z 1`, Illegal, "z"},
	{"multi-key: first failing key in key order", `
0 invoke read b
0 ok read b 3
1 invoke read a
1 ok read a 4
2 invoke write c 1
2 ok write c 1`, Illegal, "a"},
}

// TestCheck runs the table under auto (the unique-value check, porcupine
// where it falls back) and under porcupine alone.
func TestCheck(t *testing.T) {
	illegal := 0
	for _, tt := range checkCases {
		for _, alg := range []Algorithm{Auto, Porcupine} {
			t.Run(tt.name+"/"+string(alg), func(t *testing.T) {
				events := hist(t, tt.text)
				r, err := CheckWith(context.Background(), events, Options{Algorithm: alg})
				if err != nil {
					t.Fatal(err)
				}
				if r.Verdict != tt.want || r.Key != tt.key {
					t.Fatalf("verdict %s key %q (%s), want %s key %q", r.Verdict, r.Key, r.AlgorithmSummary(), tt.want, tt.key)
				}
				if r.Verdict == Illegal {
					checkWitness(t, r)
				}
			})
		}
		if tt.want == Illegal {
			illegal++
		}
	}
	if illegal == 0 {
		t.Fatal("the table has no illegal case")
	}
}

// checkWitness requires the witness to be a non-linearizable history of the
// failing key, also with its context (see minimize), from which no single
// operation can be removed.
func checkWitness(t *testing.T, r Result) {
	t.Helper()
	if len(r.Witness) == 0 || !r.WitnessMinimal || len(r.witness) != len(r.Witness) {
		t.Fatalf("witness %v minimal=%v", r.Witness, r.WitnessMinimal)
	}
	for _, op := range r.Witness {
		if op.Input.Key != r.Key {
			t.Fatalf("witness op %s is not on key %q", model.Describe(op.Input, op.Output), r.Key)
		}
	}
	res, err := CheckWith(context.Background(), opsEvents(r.Witness), Options{NoWitness: true})
	if err != nil || res.Verdict != Illegal {
		t.Fatalf("witness is %s (%v), want illegal", res.Verdict, err)
	}
	never := func() bool { return false }
	all := r.kept[r.failing]
	if !bruteOrPorcupineIllegal(withContext(r.witness, all)) || !illegalCore(r.witness, all, never) {
		t.Fatal("witness with its context is linearizable")
	}
	for i := range r.witness {
		if illegalCore(slices.Delete(slices.Clone(r.witness), i, i+1), all, never) {
			t.Fatalf("witness without op %d is still illegal: not minimal", i)
		}
	}
}

// TestJepsenFailMeaning pins HISTORY.md's rule that Jepsen's :fail means
// "did not take effect", also for cas: this history is linearizable only
// under that meaning, and the same history in JSON Lines, where a cas fail
// is a failed compare, is not.
func TestJepsenFailMeaning(t *testing.T) {
	edn := `[{:process 0, :type :invoke, :f :write, :value 1}
 {:process 0, :type :ok, :f :write, :value 1}
 {:process 1, :type :invoke, :f :cas, :value [1 2]}
 {:process 1, :type :fail, :f :cas, :value [1 2], :error :timeout-before-send}
 {:process 0, :type :invoke, :f :read, :value nil}
 {:process 0, :type :ok, :f :read, :value 1}]`
	log := "INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1\n" +
		"INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 1\t:fail\t:cas\t[1 2]\n" +
		"INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t1\n"
	for _, in := range []string{edn, log} {
		events, format, err := history.Read(strings.NewReader(in), history.Auto)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Check(context.Background(), events, 0)
		if err != nil || r.Verdict != Linearizable {
			t.Errorf("%s: verdict %s (%v), want ok", format, r.Verdict, err)
		}
		var jsonl strings.Builder
		for i := range events {
			events[i].Error = ""
		}
		if err := history.WriteJSONL(&jsonl, events); err != nil {
			t.Fatal(err)
		}
		again, err := history.ParseJSONL(strings.NewReader(jsonl.String()))
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := Check(context.Background(), again, 0); r.Verdict != Illegal {
			t.Errorf("as JSON Lines: verdict %s, want illegal", r.Verdict)
		}
	}
}

// TestMaelstromLinKV checks a hand-written Maelstrom lin-kv history.edn
// (independent keys, nemesis lines, :fail with :error, an info) per key.
func TestMaelstromLinKV(t *testing.T) {
	tests := []struct {
		file string
		want Verdict
		key  string
	}{
		{"testdata/maelstrom-lin-kv-ok.edn", Linearizable, ""},
		{"testdata/maelstrom-lin-kv-bad.edn", Illegal, "2"},
	}
	for _, tt := range tests {
		events := readFile(t, tt.file, history.EDN)
		r, err := Check(context.Background(), events, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != tt.want || r.Key != tt.key || r.Keys != 3 {
			t.Errorf("%s: verdict %s key %q keys %d, want %s key %q keys 3", tt.file, r.Verdict, r.Key, r.Keys, tt.want, tt.key)
		}
		if r.Verdict == Illegal {
			checkWitness(t, r)
		}
	}
}

// TestCheckCancelled: a cancelled context gives Unknown, not a verdict.
func TestCheckCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Check(ctx, hist(t, checkCases[3].text), 0)
	if err != nil || r.Verdict != Unknown || r.KeysDecided != 0 || len(r.Undecided) != 1 {
		t.Fatalf("got %+v, %v; want unknown with 1 undecided key", r, err)
	}
}

// bruteOrPorcupineIllegal checks small histories by brute force, larger
// ones with porcupine.
func bruteOrPorcupineIllegal(ops []porcupine.Operation) bool {
	if len(ops) <= 7 {
		return !bruteLinearizable(ops)
	}
	return search(ops, func() bool { return false }) == porcupine.Illegal
}
