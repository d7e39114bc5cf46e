package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const linearizableJSONL = `{"type":"invoke","process":0,"f":"write","key":"x","value":1}
{"type":"ok","process":0,"f":"write","key":"x","value":1}
{"type":"invoke","process":1,"f":"cas","key":"x","value":[1,2]}
{"type":"invoke","process":2,"f":"read","key":"x","value":null}
{"type":"ok","process":2,"f":"read","key":"x","value":2}
{"type":"info","process":1,"f":"cas","key":"x","value":[1,2]}
`

// violationJSONL: two cas from 1 both succeed (the accept-any-ballot bug).
const violationJSONL = `{"type":"invoke","process":0,"f":"write","key":"x","value":1}
{"type":"ok","process":0,"f":"write","key":"x","value":1}
{"type":"invoke","process":1,"f":"cas","key":"x","value":[1,2]}
{"type":"invoke","process":2,"f":"cas","key":"x","value":[1,3]}
{"type":"ok","process":1,"f":"cas","key":"x","value":[1,2]}
{"type":"ok","process":2,"f":"cas","key":"x","value":[1,3]}
{"type":"invoke","process":0,"f":"read","key":"y","value":null}
{"type":"ok","process":0,"f":"read","key":"y","value":null}
`

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCheck(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = cmdCheck(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheckCommandExitCodes(t *testing.T) {
	ok := writeTemp(t, "ok.jsonl", linearizableJSONL)
	bad := writeTemp(t, "bad.jsonl", violationJSONL)
	edn := writeTemp(t, "h.edn", "{:process 0 :type :invoke :f :write :value [k 1]}\n{:process 0 :type :ok :f :write :value [k 1]}\n")
	malformed := writeTemp(t, "m.jsonl", linearizableJSONL+`{"type":"ok","process":9,"f":"read","value":1}`+"\n")
	twice := writeTemp(t, "twice.jsonl", `{"type":"invoke","process":0,"f":"write","value":1}
{"type":"ok","process":0,"f":"write","value":1}
{"type":"invoke","process":0,"f":"write","value":1}
{"type":"ok","process":0,"f":"write","value":1}
`)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // must contain
		stderr string // must contain
	}{
		{"linearizable", []string{ok}, exitOK, "linearizable (jsonl, 3 ops on 1 key", ""},
		{"violation", []string{bad}, exitViolation, `NOT linearizable: key "x"`, ""},
		{"edn auto-detected", []string{edn}, exitOK, "linearizable (edn", ""},
		{"forced wrong format", []string{"--format", "edn", ok}, exitUsage, "", "line 1"},
		{"budget already spent", []string{"--timeout", "1ns", ok}, exitUnknown, "unknown: the time budget (1ns) ran out; 0 of 1 keys decided", ""},
		{"malformed line", []string{malformed}, exitUsage, "", "casim check: " + malformed + " line 7: ok on process 9 with no open invoke"},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.jsonl")}, exitUsage, "", "no such file"},
		{"no file", nil, exitUsage, "", "missing FILE"},
		{"two files", []string{ok, ok}, exitUsage, "", "unexpected argument"},
		{"bad flag", []string{"--nope", ok}, exitUsage, "", "flag provided but not defined"},
		{"bad format", []string{"--format", "xml", ok}, exitUsage, "", `unknown --format "xml"`},
		{"negative timeout", []string{"--timeout", "-1s", ok}, exitUsage, "", "--timeout must be >= 0"},
		{"bad algorithm", []string{"--algorithm", "knossos", ok}, exitUsage, "", `unknown --algorithm "knossos"`},
		{"forced porcupine", []string{"--algorithm", "porcupine", ok}, exitOK, "checked by porcupine", ""},
		{"forced unique, a value written twice", []string{"--algorithm", "unique", twice}, exitUnknown,
			"unknown: --algorithm unique could not decide 1 key; 0 of 1 keys decided", ""},
		{"a value written twice falls back", []string{twice}, exitOK, "checked by porcupine (fallback: value 1 is written twice))", ""},
		{"help", []string{"-h"}, exitOK, "", "Usage: casim check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCheck(tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if code == exitUsage && (strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine")) {
				t.Fatalf("want a one-line error, got %q", stderr)
			}
		})
	}
}

// TestCheckCommandWitness: a violation prints the minimal witness as a
// timeline that fits the terminal, and --json carries the same.
func TestCheckCommandWitness(t *testing.T) {
	bad := writeTemp(t, "bad.jsonl", violationJSONL)
	code, stdout, _ := runCheck(bad)
	if code != exitViolation {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"minimal witness: 2 ops", "[cas 1>2", "[cas 1>3", "cas(x, 1→2)", "lines 3-5",
		"checked by unique)", "why: p1 cas(x, 1→2) and p2 cas(x, 1→3) both took effect, but only one can follow 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// porcupine finds the same witness, and its longest partial linearization.
	code, stdout, _ = runCheck("--algorithm", "porcupine", bad)
	for _, want := range []string{"minimal witness: 2 ops", "[cas 1>2", "[cas 1>3", "checked by porcupine)", "longest partial linearization"} {
		if code != exitViolation || !strings.Contains(stdout, want) {
			t.Errorf("--algorithm porcupine: exit %d, output lacks %q:\n%s", code, want, stdout)
		}
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "p") && len([]rune(line)) > 100 {
			t.Errorf("line wider than 100 columns: %q", line)
		}
	}
	code, stdout, _ = runCheck("--json", bad)
	var j struct {
		Verdict        string
		Key            string
		Explanation    string
		KeyChecks      []struct{ Key, Algorithm, Fallback string } `json:"key_checks"`
		WitnessMinimal bool                                        `json:"witness_minimal"`
		Witness        []struct {
			Process int
			Type, F string
			Value   []int64
			Line    int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &j); err != nil || code != exitViolation {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	if j.Verdict != "illegal" || j.Key != "x" || !j.WitnessMinimal || len(j.Witness) != 2 ||
		j.Witness[0].F != "cas" || j.Witness[0].Type != "ok" || j.Witness[0].Line != 3 || len(j.Witness[1].Value) != 2 ||
		j.Explanation == "" || len(j.KeyChecks) != 2 || j.KeyChecks[0].Key != "x" || j.KeyChecks[0].Algorithm != "unique" {
		t.Fatalf("json: %+v", j)
	}
}

func TestCheckCommandStdinAndHTML(t *testing.T) {
	old := checkStdin
	defer func() { checkStdin = old }()
	checkStdin = strings.NewReader(violationJSONL)
	html := filepath.Join(t.TempDir(), "v.html")
	code, stdout, stderr := runCheck("--html", html, "-")
	if code != exitViolation || !strings.HasPrefix(stdout, "stdin: NOT linearizable") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(html)
	if err != nil || !bytes.Contains(b, []byte("witness 1/2")) {
		t.Fatalf("html (%d bytes, %v) lacks the witness annotation", len(b), err)
	}
}

// One operation is "1 op", not "1 ops"; a byte-order mark is skipped.
func TestCheckSummaryCountsInWords(t *testing.T) {
	one := writeTemp(t, "one.jsonl", "\ufeff"+`{"type":"invoke","process":0,"f":"write","key":"x","value":1}
{"type":"ok","process":0,"f":"write","key":"x","value":1}
`)
	code, stdout, stderr := runCheck("--timeout", "0", one)
	if code != exitOK || !strings.Contains(stdout, "(jsonl, 1 op on 1 key, ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
