package history

import (
	"errors"
	"strings"
	"testing"
)

// Histories with nothing to check are refused, saying so, instead of
// being called linearizable; no format is claimed for an empty input.
func TestReadRefusesHistoriesWithNoCompletedOperation(t *testing.T) {
	tests := []struct {
		name, in string
		format   Format
		msg      string
	}{
		{"empty", "", Auto, "no completed operation: the history has no operations"},
		{"blank lines", "\n  \n\t\n", Auto, "no completed operation: the history has no operations"},
		{"byte-order mark only", "\ufeff\n", Auto, "no completed operation: the history has no operations"},
		{"empty, named jsonl", "", JSONL, "no completed operation: the history has no operations"},
		{"empty, named edn", "", EDN, "no completed operation: the history has no operations"},
		{"invokes only", wInv + "\n" + strings.Replace(wInv, `"process":0`, `"process":1`, 1), Auto, "no completed operation: 2 invokes, none completed"},
		{"edn invoke only", "{:type :invoke, :f :read, :process 0, :value nil}", Auto, "no completed operation: 1 invoke, none completed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Read(strings.NewReader(tt.in), tt.format)
			var ee *EmptyError
			if !errors.As(err, &ee) {
				t.Fatalf("Read = %v, want an *EmptyError", err)
			}
			if err.Error() != tt.msg {
				t.Fatalf("error %q, want %q", err, tt.msg)
			}
			if strings.Contains(err.Error(), "jsonl") {
				t.Fatalf("error %q claims a format", err)
			}
		})
	}
}

// A UTF-8 byte-order mark, as some editors write, is skipped.
func TestReadAcceptsAByteOrderMark(t *testing.T) {
	for _, tt := range []struct {
		in     string
		format Format
	}{
		{"\ufeff" + wInv + "\n" + wOk + "\n", Auto},
		{"\ufeff" + wInv + "\n" + wOk + "\n", JSONL},
		{"\ufeff{:type :invoke, :f :write, :process 0, :value 1}\n{:type :ok, :f :write, :process 0, :value 1}", Auto},
	} {
		events, _, err := Read(strings.NewReader(tt.in), tt.format)
		if err != nil || len(events) != 2 {
			t.Errorf("Read(%q) = %d events, %v; want 2 events", tt.in, len(events), err)
		}
	}
}

// A file that mixes formats, or a format named wrongly, is told what was
// expected and what was found, on which line.
func TestReadSaysWhichFormatItExpectedAndFound(t *testing.T) {
	ednInv := "{:type :invoke, :f :write, :process 0, :value 1}"
	tests := []struct {
		name, in string
		format   Format
		want     []string
	}{
		{"edn line in json lines", wInv + "\n{:type :ok, :f :write, :process 0, :value 1}", Auto,
			[]string{"line 2: ", "expected JSON Lines", "found EDN"}},
		{"json line in edn", ednInv + "\n" + wOk, Auto,
			[]string{"line 2: ", "expected EDN", "found JSON"}},
		{"--format edn on json lines", wInv + "\n" + wOk, EDN,
			[]string{"line 1: ", "expected EDN", `found JSON: {"type":"invoke"`}},
		{"--format jsonl on edn", ednInv, JSONL,
			[]string{"line 1: ", "expected JSON Lines", "found EDN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Read(strings.NewReader(tt.in), tt.format)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// A line over the limit is refused with its number, in each line-based
// format, rather than read in part or taken for the end of the file.
func TestReadRefusesALineOverTheLimit(t *testing.T) {
	long := strings.Repeat(" ", maxLineBytes+1)
	for _, tt := range []struct {
		name, in string
		format   Format
	}{
		{"jsonl", wInv + "\n" + wOk + "\n" + wInv + long + "\n", JSONL},
		{"jepsen log", "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n" + long + "x\n", JepsenLog},
	} {
		_, _, err := Read(strings.NewReader(tt.in), tt.format)
		want := "line 3: line longer than 1048576 bytes"
		if tt.format == JepsenLog {
			want = "line 2: line longer than 1048576 bytes"
		}
		if err == nil || err.Error() != want {
			t.Errorf("%s: Read = %v, want %q", tt.name, err, want)
		}
	}
}
