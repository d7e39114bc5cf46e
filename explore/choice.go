package explore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Choices are written one a line in a scenario file, as a word naming
// the kind, what it applies to, and a description for the reader:
//
//	invoke c1
//	deliver 9f3a2b1c4d5e6f70 n2>n0 promise
//	timer 0c1d2e3f4a5b6c7d n0
//	client-timer c0 deadline
//	crash n2
//
// A message or timer is named by its hash, which ParseChoice reads back;
// the rest of the line is not read.

// describe renders ch as taken from w.
func (w *world) describe(ch Choice) string {
	R := int32(w.m.cfg.Replicas)
	switch ch.Kind {
	case Deliver, Dup, Lose:
		i := slices.IndexFunc(w.msgs, func(m msg) bool { return m.hash == ch.Hash })
		if i < 0 {
			return fmt.Sprintf("%s %016x ?", ch.Kind, ch.Hash)
		}
		m := w.msgs[i]
		return fmt.Sprintf("%s %016x %s>%s %s", ch.Kind, ch.Hash, endpointName(m.from, R), endpointName(m.to, R), m.m.Kind())
	case Timer:
		i := slices.IndexFunc(w.tims, func(t rtimer) bool { return t.hash == ch.Hash })
		if i < 0 {
			return fmt.Sprintf("timer %016x ?", ch.Hash)
		}
		return fmt.Sprintf("timer %016x n%d", ch.Hash, w.tims[i].node)
	case ClientTimer:
		return fmt.Sprintf("client-timer c%d %s", ch.N, clientTimerNames[ch.Sub])
	case Invoke:
		return fmt.Sprintf("invoke c%d", ch.N)
	case Crash:
		return fmt.Sprintf("crash n%d", ch.N)
	}
	return "?"
}

func endpointName(e, replicas int32) string {
	if e >= replicas {
		return "c" + strconv.Itoa(int(e-replicas))
	}
	return "n" + strconv.Itoa(int(e))
}

// ParseChoice reads a choice written by describe.
func ParseChoice(s string) (Choice, error) {
	f := strings.Fields(s)
	if len(f) < 2 {
		return Choice{}, fmt.Errorf("choice %q: want a kind and what it applies to", s)
	}
	k := slices.Index(choiceNames[:], f[0])
	if k < 0 {
		return Choice{}, fmt.Errorf("choice %q: unknown kind %q (%s)", s, f[0], strings.Join(choiceNames[:], ", "))
	}
	ch := Choice{Kind: ChoiceKind(k)}
	switch ch.Kind {
	case Deliver, Dup, Lose, Timer:
		h, err := strconv.ParseUint(f[1], 16, 64)
		if err != nil {
			return Choice{}, fmt.Errorf("choice %q: %q is not a hash", s, f[1])
		}
		ch.Hash = h
	case Invoke, ClientTimer, Crash:
		want := "c"
		if ch.Kind == Crash {
			want = "n"
		}
		n, err := strconv.Atoi(strings.TrimPrefix(f[1], want))
		if err != nil || !strings.HasPrefix(f[1], want) || n < 0 {
			return Choice{}, fmt.Errorf("choice %q: %q is not %s followed by a number (%s0, %s1 and so on)", s, f[1], want, want, want)
		}
		ch.N = n
		if ch.Kind == ClientTimer {
			if len(f) < 3 {
				return Choice{}, fmt.Errorf("choice %q: which client timer?", s)
			}
			ch.Sub = slices.Index(clientTimerNames[:], f[2])
			if ch.Sub < 0 {
				return Choice{}, fmt.Errorf("choice %q: unknown client timer %q", s, f[2])
			}
		}
	}
	return ch, nil
}

// steps keeps one Choice per state in 12 bytes, as the search keeps one
// per state (a Choice takes 32, a struct of its packed fields 16 with
// padding): the hash, and clients, replicas and client timer kinds
// numbered below 2^16, 2^8 and 2^8 in a word beside it.
type steps struct {
	hash []uint64
	meta []uint32
}

func packMeta(ch Choice) uint32 {
	return uint32(uint16(ch.N)) | uint32(ch.Kind)<<16 | uint32(uint8(ch.Sub))<<24
}

func (st *steps) add(ch Choice) {
	st.hash = append(st.hash, ch.Hash)
	st.meta = append(st.meta, packMeta(ch))
}

func (st *steps) set(i int32, ch Choice) {
	st.hash[i], st.meta[i] = ch.Hash, packMeta(ch)
}

func (st *steps) at(i int32) Choice {
	m := st.meta[i]
	return Choice{Kind: ChoiceKind(m >> 16), Hash: st.hash[i], N: int(uint16(m)), Sub: int(uint8(m >> 24))}
}
