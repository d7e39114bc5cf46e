package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/anishathalye/porcupine"
)

// Step applies one operation to one key's state and says whether the
// observed output is legal there.
//
// Indeterminate operations need no nondeterminism here. The checker gives
// them a return time after every other operation, so porcupine may place
// them anywhere after their invoke. "Never took effect" is then the same as
// "took effect after everything else": no later operation observes it. So an
// indeterminate write simply writes, and an indeterminate cas applies if its
// compare holds where it is placed (and is a no-op otherwise).
func Step(s State, in Input, out Output) (bool, State) {
	switch in.Kind {
	case Read:
		if out.Status == Unknown {
			return true, s
		}
		return out.Has == s.Has && (!s.Has || out.Value == s.Value), s
	case Write:
		return true, State{Has: true, Value: in.Value}
	case Cas:
		matches := s.Has && s.Value == in.Expected
		switch out.Status {
		case Ok:
			return matches, State{Has: true, Value: in.Value}
		case CompareFailed:
			return !matches, s
		default: // Unknown
			if matches {
				return true, State{Has: true, Value: in.Value}
			}
			return true, s
		}
	}
	return false, s
}

// Porcupine returns the register as a porcupine model over operations whose
// Input is an Input and whose Output is an Output. It partitions by key:
// a history is linearizable if and only if each key's sub-history is.
func Porcupine() porcupine.Model {
	return porcupine.Model{
		Partition: PartitionByKey,
		Init:      func() any { return State{} },
		Step: func(state, input, output any) (bool, any) {
			return Step(state.(State), input.(Input), output.(Output))
		},
		Hash: func(state any) uint64 {
			s := state.(State)
			if !s.Has {
				return 0
			}
			return uint64(s.Value)*0x9e3779b97f4a7c15 + 1
		},
		DescribeOperation: func(input, output any) string {
			return Describe(input.(Input), output.(Output))
		},
		DescribeState: func(state any) string { return state.(State).String() },
	}
}

// PartitionByKey splits a history into one sub-history per key, ordered by
// key so that the result does not depend on map order. It counts first and
// then fills slices of the exact size: on 100k operations over 1000 keys,
// growing the slices op by op cost more than the map lookups.
func PartitionByKey(history []porcupine.Operation) [][]porcupine.Operation {
	index := map[string]int{}
	var keys []string
	var counts []int
	slot := make([]int32, len(history))
	for i, op := range history {
		k := op.Input.(Input).Key
		j, ok := index[k]
		if !ok {
			j = len(keys)
			index[k] = j
			keys = append(keys, k)
			counts = append(counts, 0)
		}
		counts[j]++
		slot[i] = int32(j)
	}
	order := make([]int, len(keys)) // order[r] = key index of rank r
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	rank := make([]int, len(keys))
	parts := make([][]porcupine.Operation, len(keys))
	for r, j := range order {
		rank[j] = r
		parts[r] = make([]porcupine.Operation, 0, counts[j])
	}
	for i, op := range history {
		r := rank[slot[i]]
		parts[r] = append(parts[r], op)
	}
	return parts
}

// Describe renders one operation for people, e.g. "cas(x, 1→4) fail".
func Describe(in Input, out Output) string {
	// A key-less register (Jepsen's register workloads) prints without a
	// key: write(1), not write(, 1).
	key := in.Key
	if key != "" {
		key += ", "
	}
	var s string
	switch in.Kind {
	case Read:
		s = fmt.Sprintf("read(%s)", in.Key)
		switch {
		case out.Status == Unknown:
			s += " ?"
		case out.Has:
			s += fmt.Sprintf(" → %d", out.Value)
		default:
			s += " → ∅"
		}
		return s
	case Write:
		s = fmt.Sprintf("write(%s%d)", key, in.Value)
	case Cas:
		s = fmt.Sprintf("cas(%s%d→%d)", key, in.Expected, in.Value)
	}
	switch out.Status {
	case CompareFailed:
		s += " fail"
	case Unknown:
		s += " ?"
	}
	return s
}

// KeyPhrase names a key in a sentence: `key "x"`, or "the register" for
// the empty key of a key-less history.
func KeyPhrase(key string) string {
	if key == "" {
		return "the register"
	}
	return fmt.Sprintf("key %q", key)
}
