package history

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casimlab/casim/model"
)

// TestParseEDNGood covers the shapes Jepsen and Maelstrom write.
func TestParseEDNGood(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"plain register, map per line",
			"{:type :invoke, :f :cas, :value [1 4], :process 3, :time 5}\n{:type :ok, :f :cas, :value [1 4], :process 3, :index 9}",
			[]Event{
				{Type: Invoke, Process: 3, F: model.Cas, Has: true, Expected: 1, Value: 4, Line: 1},
				{Type: Ok, Process: 3, F: model.Cas, Has: true, Expected: 1, Value: 4, Line: 2},
			}},
		{"whole vector, independent keys, commas, comments",
			"; a history\n[{:process 0 :type :invoke :f :read :value [\"k\" nil]}\n {:process 0 :type :ok :f :read :value [\"k\" 7]},]",
			[]Event{
				{Type: Invoke, Process: 0, F: model.Read, Key: "k", Line: 2},
				{Type: Ok, Process: 0, F: model.Read, Key: "k", Has: true, Value: 7, Line: 3},
			}},
		{"lin-kv cas with integer key",
			"{:type :invoke :f :cas :value [2 [0 3]] :process 1}\n{:type :ok :f :cas :value [2 [0 3]] :process 1}",
			[]Event{
				{Type: Invoke, Process: 1, F: model.Cas, Key: "2", Has: true, Expected: 0, Value: 3, Line: 1},
				{Type: Ok, Process: 1, F: model.Cas, Key: "2", Has: true, Expected: 0, Value: 3, Line: 2},
			}},
		{"fail means did not take effect; info value ignored; nemesis skipped",
			"{:type :invoke :f :cas :value [1 2] :process 0}\n{:type :fail :f :cas :value [1 2] :process 0 :error :unavailable}\n" +
				"{:type :info :f :start :value nil :process :nemesis}\n" +
				"{:type :invoke :f :write :value 5 :process 1}\n{:type :info :f :write :value :timed-out :process 1}",
			[]Event{
				{Type: Invoke, Process: 0, F: model.Cas, Has: true, Expected: 1, Value: 2, Line: 1},
				{Type: Fail, Process: 0, F: model.Cas, Has: true, Expected: 1, Value: 2, Error: ":unavailable", Line: 2},
				{Type: Invoke, Process: 1, F: model.Write, Has: true, Value: 5, Line: 4},
				{Type: Info, Process: 1, F: model.Write, Has: true, Value: 5, Line: 5},
			}},
		{"read invoke with a value; tagged map; bigint time",
			"#jepsen.history.Op{:type :invoke :f :read :value 3 :process 0 :time 123456789012345678901234}\n{:type :fail :f :read :value nil :process 0}",
			[]Event{
				{Type: Invoke, Process: 0, F: model.Read, Line: 1},
				{Type: Fail, Process: 0, F: model.Read, Error: "fail", Line: 2},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEDN(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parsed events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseJepsenBadInput: the bad-input rules of HISTORY.md, in both
// Jepsen formats, each naming its line.
func TestParseJepsenBadInput(t *testing.T) {
	type tc struct {
		name, in string
		line     int
		msg      string
	}
	edn := []tc{
		{"not edn", "{:type :invoke :f :read :process 0}\n{:type :ok", 2, "unclosed"},
		{"not a map", "[1 2]", 1, "expected an operation map"},
		{"odd map", "{:type}", 1, "odd number"},
		{"unknown type", "{:type :done :f :read :process 0}", 1, "unknown type :done"},
		{"unknown f", "{:type :invoke :f :txn :process 0 :value []}", 1, "unknown f :txn"},
		{"missing process", "{:type :invoke :f :read}", 1, "process must be"},
		{"negative process", "{:type :invoke :f :read :process -2}", 1, "process must be"},
		{"no open invoke", "{:type :ok :f :read :process 0 :value 1}", 1, "no open invoke"},
		{"second invoke", "{:type :invoke :f :read :process 0}\n{:type :invoke :f :read :process 0}", 2, "still open"},
		{"invoke after info", "{:type :invoke :f :read :process 0}\n{:type :info :f :read :process 0}\n{:type :invoke :f :read :process 0}", 3, "after its info"},
		{"f differs", "{:type :invoke :f :read :process 0}\n{:type :ok :f :write :process 0 :value 1}", 2, "is read"},
		{"key differs", "{:type :invoke :f :write :value [1 5] :process 0}\n{:type :info :f :write :value [2 5] :process 0}", 2, `on key "2"`},
		{"write not int", "{:type :invoke :f :write :value \"a\" :process 0}", 1, "write value must be an integer"},
		{"cas shape", "{:type :invoke :f :cas :value [1 [2]] :process 0}", 1, "cas value must be"},
		{"ok read shape", "{:type :invoke :f :read :process 0}\n{:type :ok :f :read :value :x :process 0}", 2, "read value must be"},
		{"ok value differs", "{:type :invoke :f :write :value 1 :process 0}\n{:type :ok :f :write :value 2 :process 0}", 2, "differs from its invoke"},
		{"too deep", strings.Repeat("[", 300), 1, "nested more than"},
	}
	log := []tc{
		{"unknown type", "INFO  jepsen.util - 0\t:done\t:read\tnil", 1, "unknown type :done"},
		{"unknown f", "x\nINFO  jepsen.util - 0\t:invoke\t:txn\tnil", 2, "unknown f :txn"},
		{"missing f", "INFO  jepsen.util - 0\t:invoke", 1, "missing f"},
		{"no open invoke", "INFO  jepsen.util - 0\t:ok\t:read\t1", 1, "no open invoke"},
		{"second invoke", "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil", 2, "still open"},
		{"invoke after info", "INFO  jepsen.util - 4\t:invoke\t:write\t1\nINFO  jepsen.util - 4\t:info\t:write\t:timed-out\nINFO  jepsen.util - 4\t:invoke\t:read\tnil", 3, "after its info"},
		{"f differs", "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:write\t1", 2, "is read"},
		{"cas shape", "INFO  jepsen.util - 0\t:invoke\t:cas\t[1]", 1, "cas value must be"},
		{"bad value", "INFO  jepsen.util - 0\t:invoke\t:write\t[1", 1, "unclosed"},
	}
	run := func(t *testing.T, parse func(string) error, tests []tc) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := parse(tt.in)
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("got %v, want a *ParseError", err)
				}
				if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
					t.Fatalf("error %q, want line %d containing %q", err, tt.line, tt.msg)
				}
			})
		}
	}
	t.Run("edn", func(t *testing.T) {
		run(t, func(s string) error { _, err := ParseEDN(strings.NewReader(s)); return err }, edn)
	})
	t.Run("jepsen-log", func(t *testing.T) {
		run(t, func(s string) error { _, err := ParseJepsenLog(strings.NewReader(s)); return err }, log)
	})
}

// TestParseJepsenLog reads the line shapes of porcupine's etcd data.
func TestParseJepsenLog(t *testing.T) {
	in := "2016-01-01 INFO  jepsen.core - Running test\n" +
		"INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]\n" +
		"INFO  jepsen.util - 1   :invoke :read   nil\n" +
		"INFO  jepsen.util - 3\t:info\t:cas\t:timed-out\n" +
		"INFO  jepsen.util - 1   :fail   :read   :timed-out\n" +
		"INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n" +
		"INFO  jepsen.util - 2\t:invoke\t:write\t0\n" +
		"INFO  jepsen.util - 2\t:ok\t:write\t0\n" +
		"INFO  jepsen.util - 5\t:invoke\t:read\tnil\n" +
		"INFO  jepsen.util - 5\t:ok\t:read\t0\n" +
		"INFO  jepsen.util - 6\t:invoke\t:cas\t[0 2]\n" +
		"INFO  jepsen.util - 6\t:fail\t:cas\t[0 2]\n"
	got, err := ParseJepsenLog(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{Type: Invoke, Process: 3, F: model.Cas, Has: true, Expected: 1, Value: 4, Line: 2},
		{Type: Invoke, Process: 1, F: model.Read, Line: 3},
		{Type: Info, Process: 3, F: model.Cas, Has: true, Expected: 1, Value: 4, Line: 4},
		{Type: Fail, Process: 1, F: model.Read, Error: "fail", Line: 5},
		{Type: Invoke, Process: 2, F: model.Write, Has: true, Value: 0, Line: 7},
		{Type: Ok, Process: 2, F: model.Write, Has: true, Value: 0, Line: 8},
		{Type: Invoke, Process: 5, F: model.Read, Line: 9},
		{Type: Ok, Process: 5, F: model.Read, Has: true, Value: 0, Line: 10},
		{Type: Invoke, Process: 6, F: model.Cas, Has: true, Expected: 0, Value: 2, Line: 11},
		{Type: Fail, Process: 6, F: model.Cas, Has: true, Expected: 0, Value: 2, Error: "fail", Line: 12},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestDetect: --format auto tells the three formats apart, on every file in
// testdata and on small samples.
func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{wInv, JSONL},
		{"  \n" + wInv, JSONL},
		{"{:type :invoke}", EDN},
		{"[{:type :invoke}]", EDN},
		{"; comment\n{:type :invoke}", EDN},
		{"#jepsen.history.Op{:type :invoke}", EDN},
		{"2016 INFO jepsen.core - start\nINFO  jepsen.util - 0\t:invoke\t:read\tnil", JepsenLog},
	}
	for _, tt := range tests {
		got, err := Detect([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("Detect(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"hello", "{ x", "42", "", " \n\n"} {
		if f, err := Detect([]byte(bad)); err == nil {
			t.Errorf("Detect(%q) = %v, want an error", bad, f)
		}
	}
	files := map[string]Format{
		"../testdata/maelstrom-lin-kv-ok.edn": EDN,
	}
	for path, want := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		events, got, err := Read(f, Auto)
		f.Close()
		if err != nil || got != want || len(events) == 0 {
			t.Errorf("Read(%s, auto) = %d events, %v, %v; want %v", path, len(events), got, err, want)
		}
	}
}
