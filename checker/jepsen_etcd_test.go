package checker

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/casimlab/casim/checker/history"
)

// etcdExpected reads the verdicts porcupine's own tests expect for its etcd
// Jepsen histories, from the calls checkJepsen(t, N, linearizable) in
// porcupine_test.go. (etcd_095.log is empty and porcupine does not test it.)
func etcdExpected(t *testing.T, dir string) map[int]Verdict {
	src, err := os.ReadFile(filepath.Join(dir, "porcupine_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]Verdict{}
	re := regexp.MustCompile(`checkJepsen\(t, (\d+), (true|false)\)`)
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		n, _ := strconv.Atoi(m[1])
		want[n] = Illegal
		if m[2] == "true" {
			want[n] = Linearizable
		}
	}
	if len(want) < 100 {
		t.Fatalf("found %d expected verdicts in porcupine_test.go, want over 100", len(want))
	}
	return want
}

// porcupineDir finds porcupine's module directory, where its test data ships.
func porcupineDir(t testing.TB) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/anishathalye/porcupine").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("porcupine module directory not found (go list: %v)", err)
	}
	return dir
}

// TestPorcupineEtcdJepsen checks data no one here wrote: every etcd history
// in porcupine's test_data/jepsen must get porcupine's expected verdict.
func TestPorcupineEtcdJepsen(t *testing.T) {
	dir := porcupineDir(t)
	expected := etcdExpected(t, dir)
	linearizable := 0
	for n := range 200 {
		want, ok := expected[n]
		if !ok {
			continue
		}
		if want == Linearizable {
			linearizable++
		}
		path := filepath.Join(dir, "test_data", "jepsen", fmt.Sprintf("etcd_%03d.log", n))
		t.Run(filepath.Base(path), func(t *testing.T) {
			events := readFile(t, path, history.Auto)
			r, err := CheckWith(context.Background(), events, Options{NoWitness: true})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != want {
				t.Fatalf("verdict %s, want %s", r.Verdict, want)
			}
			// Jepsen's etcd test writes values 0-4 over and over: auto
			// must hand every key to porcupine.
			for _, k := range r.KeyChecks {
				if k.Algorithm != Porcupine || !strings.Contains(k.Fallback, "written twice") {
					t.Fatalf("key %q checked by %s", k.Key, k)
				}
			}
		})
	}
	if linearizable == 0 || linearizable == len(expected) {
		t.Fatalf("%d of %d expected linearizable: the expectations were misread", linearizable, len(expected))
	}
}

func readFile(t testing.TB, path string, f history.Format) []history.Event {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	events, _, err := history.Read(file, f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return events
}
