package model

import "testing"

func TestStep(t *testing.T) {
	empty := State{}
	one := State{Has: true, Value: 1}
	two := State{Has: true, Value: 2}
	tests := []struct {
		name  string
		s     State
		in    Input
		out   Output
		legal bool
		next  State
	}{
		{"read empty", empty, Input{Kind: Read}, Output{}, true, empty},
		{"read empty sees a value", empty, Input{Kind: Read}, Output{Has: true, Value: 1}, false, empty},
		{"read value", one, Input{Kind: Read}, Output{Has: true, Value: 1}, true, one},
		{"read wrong value", one, Input{Kind: Read}, Output{Has: true, Value: 2}, false, one},
		{"read value sees empty", one, Input{Kind: Read}, Output{}, false, one},
		{"read unknown", one, Input{Kind: Read}, Output{Status: Unknown, Has: true, Value: 9}, true, one},
		{"write", empty, Input{Kind: Write, Value: 2}, Output{}, true, two},
		{"write unknown applies", one, Input{Kind: Write, Value: 2}, Output{Status: Unknown}, true, two},
		{"cas ok", one, Input{Kind: Cas, Expected: 1, Value: 2}, Output{}, true, two},
		{"cas ok on wrong value", two, Input{Kind: Cas, Expected: 1, Value: 2}, Output{}, false, two},
		{"cas ok on empty", empty, Input{Kind: Cas, Expected: 0, Value: 2}, Output{}, false, empty},
		{"cas compare fails", two, Input{Kind: Cas, Expected: 1, Value: 5}, Output{Status: CompareFailed}, true, two},
		{"cas compare fails on empty", empty, Input{Kind: Cas, Expected: 0, Value: 5}, Output{Status: CompareFailed}, true, empty},
		{"cas compare fails although it holds", one, Input{Kind: Cas, Expected: 1, Value: 5}, Output{Status: CompareFailed}, false, one},
		{"cas unknown applies", one, Input{Kind: Cas, Expected: 1, Value: 2}, Output{Status: Unknown}, true, two},
		{"cas unknown no-op", two, Input{Kind: Cas, Expected: 1, Value: 5}, Output{Status: Unknown}, true, two},
		{"unknown kind", one, Input{Kind: 7}, Output{}, false, one},
	}
	for _, tt := range tests {
		legal, next := Step(tt.s, tt.in, tt.out)
		if legal != tt.legal || (legal && next != tt.next) {
			t.Errorf("%s: Step = %v, %v; want %v, %v", tt.name, legal, next, tt.legal, tt.next)
		}
	}
}

func TestPorcupineModelHash(t *testing.T) {
	m := Porcupine()
	if m.Partition == nil || m.Hash(State{}) == m.Hash(State{Has: true}) {
		t.Fatal("model must partition and hash empty apart from 0")
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		in   Input
		out  Output
		want string
	}{
		{Input{Kind: Read, Key: "x"}, Output{Has: true, Value: 3}, "read(x) → 3"},
		{Input{Kind: Read, Key: "x"}, Output{}, "read(x) → ∅"},
		{Input{Kind: Write, Key: "x", Value: 1}, Output{Status: Unknown}, "write(x, 1) ?"},
		{Input{Kind: Cas, Key: "x", Expected: 1, Value: 4}, Output{Status: CompareFailed}, "cas(x, 1→4) fail"},
		// Jepsen's key-less register.
		{Input{Kind: Write, Value: 1}, Output{}, "write(1)"},
		{Input{Kind: Read}, Output{Has: true, Value: 1}, "read() → 1"},
		{Input{Kind: Cas, Expected: 1, Value: 4}, Output{}, "cas(1→4)"},
	}
	for _, tt := range tests {
		if got := Describe(tt.in, tt.out); got != tt.want {
			t.Errorf("Describe = %q, want %q", got, tt.want)
		}
	}
}

func TestKeyPhrase(t *testing.T) {
	if got := KeyPhrase(""); got != "the register" {
		t.Errorf("KeyPhrase(\"\") = %q", got)
	}
	if got := KeyPhrase("x"); got != `key "x"` {
		t.Errorf("KeyPhrase(x) = %q", got)
	}
}
