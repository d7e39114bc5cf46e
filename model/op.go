// Package model is casim's sequential specification: a key-value store where
// each key is an independent register supporting read, write and
// compare-and-swap. Every history casim records or reads is checked against
// it (through porcupine, in package checker).
package model

import "strconv"

// Kind is an operation type.
type Kind uint8

// The operations of the register.
const (
	Read Kind = iota
	Write
	Cas
)

// String returns the name used in histories: "read", "write" or "cas".
func (k Kind) String() string {
	switch k {
	case Read:
		return "read"
	case Write:
		return "write"
	case Cas:
		return "cas"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, bool) {
	switch s {
	case "read":
		return Read, true
	case "write":
		return Write, true
	case "cas":
		return Cas, true
	}
	return 0, false
}

// Input is one operation's request: the key and, for write and cas, its
// arguments. A cas replaces Expected by Value; a write stores Value.
type Input struct {
	Kind     Kind
	Key      string
	Value    int64
	Expected int64
}

// Status is how an operation ended, as far as the checker is concerned.
type Status uint8

const (
	// Ok: the operation took effect. For a read, Output.Has and
	// Output.Value are what it returned.
	Ok Status = iota
	// CompareFailed: a cas whose key did not hold Expected at its
	// linearization point. It changed nothing.
	CompareFailed
	// Unknown: indeterminate (Jepsen's info). The operation may have taken
	// effect at any point after its invoke, or never.
	Unknown
)

// Output is one operation's result.
type Output struct {
	Status Status
	Has    bool // read: the key had a value
	Value  int64
}

// State is one key's register: absent, or holding Value.
type State struct {
	Has   bool
	Value int64
}

// String renders a state for people: "∅" for absent, else the value.
func (s State) String() string {
	if !s.Has {
		return "∅"
	}
	return strconv.FormatInt(s.Value, 10)
}
