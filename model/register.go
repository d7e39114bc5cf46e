package model

import (
	"fmt"
	"slices"

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
// key so that the result does not depend on map order.
func PartitionByKey(history []porcupine.Operation) [][]porcupine.Operation {
	index := map[string]int{}
	var keys []string
	var parts [][]porcupine.Operation
	for _, op := range history {
		k := op.Input.(Input).Key
		i, ok := index[k]
		if !ok {
			i = len(parts)
			index[k] = i
			keys = append(keys, k)
			parts = append(parts, nil)
		}
		parts[i] = append(parts[i], op)
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case keys[a] < keys[b]:
			return -1
		case keys[a] > keys[b]:
			return 1
		}
		return 0
	})
	sorted := make([][]porcupine.Operation, len(parts))
	for i, j := range order {
		sorted[i] = parts[j]
	}
	return sorted
}

// Describe renders one operation for people, e.g. "cas(x, 1→4) fail".
func Describe(in Input, out Output) string {
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
		s = fmt.Sprintf("write(%s, %d)", in.Key, in.Value)
	case Cas:
		s = fmt.Sprintf("cas(%s, %d→%d)", in.Key, in.Expected, in.Value)
	}
	switch out.Status {
	case CompareFailed:
		s += " fail"
	case Unknown:
		s += " ?"
	}
	return s
}
