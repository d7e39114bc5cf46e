package sim

import (
	"fmt"
	"io"
	"strconv"

	"github.com/casimlab/casim/protocol"
)

// traceKind is the type of a trace entry.
type traceKind uint8

const (
	traceSend traceKind = iota
	traceDeliver
	traceDrop
	traceTimer
	traceCrash
	traceRestart
	traceFault
	traceInvoke
	traceComplete
	traceDeadlineMiss
)

var traceNames = [...]string{"send", "deliver", "drop", "timer", "crash", "restart",
	"fault", "invoke", "complete", "deadline"}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashWord folds one 64-bit word into an FNV-1a style hash.
func hashWord(h, w uint64) uint64 { return (h ^ w) * fnvPrime }

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// trace records one entry: always into the trace hash, and as a line of
// text when the run was asked for its trace.
func (s *sim) trace(k traceKind, a, b int32, m protocol.Message) {
	h := hashWord(s.hash, uint64(s.nowNs))
	h = hashWord(h, uint64(k)|uint64(uint32(a))<<8|uint64(uint32(b))<<40)
	if m != nil {
		h = hashString(h, m.Kind())
	}
	s.hash = h
	if s.traceOut != nil {
		s.writeTrace(k, a, b, m)
	}
}

func (s *sim) writeTrace(k traceKind, a, b int32, m protocol.Message) {
	line := fmt.Sprintf("%14s  %-8s %4s", fmtNs(s.nowNs), traceNames[k], s.endpoint(a))
	if b >= 0 {
		line += " → " + s.endpoint(b)
	}
	if m != nil {
		line += fmt.Sprintf("  %s %+v", m.Kind(), m)
	}
	io.WriteString(s.traceOut, line+"\n")
}

// traceNote writes a free-form line (fault and client events).
func (s *sim) traceNote(k traceKind, a int32, note string) {
	s.hash = hashString(hashWord(hashWord(s.hash, uint64(s.nowNs)), uint64(k)|uint64(uint32(a))<<8), note)
	if s.traceOut != nil {
		fmt.Fprintf(s.traceOut, "%14s  %-8s %4s  %s\n", fmtNs(s.nowNs), traceNames[k], s.endpoint(a), note)
	}
}

func (s *sim) endpoint(e int32) string {
	if e < 0 {
		return "-"
	}
	if int(e) < s.cfg.Replicas {
		return "n" + strconv.Itoa(int(e))
	}
	return "c" + strconv.Itoa(int(e)-s.cfg.Replicas)
}

// fmtNs renders virtual nanoseconds as milliseconds with microseconds.
func fmtNs(ns int64) string {
	return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) + "ms"
}
