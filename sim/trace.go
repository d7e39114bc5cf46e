package sim

import (
	"fmt"
	"io"
	"strconv"

	"github.com/casimlab/casim/model"
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

// TraceEvent is one entry of a run's trace, for tools that draw it (the
// text trace and the HTML report are two).
type TraceEvent struct {
	AtNs int64
	// Kind is send, deliver, drop, timer, crash, restart, fault, invoke,
	// complete or deadline.
	Kind string
	// From and To are endpoints: replicas 0..R-1, clients R..R+C-1; -1 for
	// none (a fault, or a timer's To).
	From, To int
	// Msg is the message type (send, deliver, drop), else empty.
	Msg string
	// Detail is the message's fields, or a note on a fault or operation.
	Detail string
	// Op is the client operation the event works for (an index into
	// Result.OpInvokes), or -1.
	Op int
}

// trace records one entry: always into the trace hash, and for whoever
// asked for the trace.
func (s *sim) trace(k traceKind, a, b int32, m protocol.Message) {
	h := hashWord(s.hash, uint64(s.nowNs))
	h = hashWord(h, uint64(k)|uint64(uint32(a))<<8|uint64(uint32(b))<<40)
	if m != nil {
		h = hashString(h, m.Kind())
	}
	s.hash = h
	if s.observing() {
		e := TraceEvent{AtNs: s.nowNs, Kind: traceNames[k], From: int(a), To: int(b), Op: int(s.cause)}
		if m != nil {
			e.Msg, e.Detail = m.Kind(), fmt.Sprintf("%+v", m)
		}
		s.emit(e)
	}
}

// traceTimer records a timer firing at replica a: hashed as trace does,
// and shown with the timer's kind, key, ID and sequence number, which
// the protocol chose (its doc comment says what its kinds mean).
func (s *sim) traceTimer(a int32, t protocol.Timer) {
	none := int32(-1) // the timer has no receiving endpoint
	s.hash = hashWord(hashWord(s.hash, uint64(s.nowNs)), uint64(traceTimer)|uint64(uint32(a))<<8|uint64(uint32(none))<<40)
	if s.observing() {
		d := "kind " + strconv.Itoa(int(t.Kind))
		if t.Key != "" {
			d += " key " + t.Key
		}
		d += " id " + strconv.FormatUint(t.ID, 10) + " seq " + strconv.FormatUint(t.Seq, 10)
		s.emit(TraceEvent{AtNs: s.nowNs, Kind: traceNames[traceTimer], From: int(a), To: -1, Detail: d, Op: int(s.cause)})
	}
}

// traceOp records a client event on operation in (invoke, complete,
// deadline). It hashes the operation's fields and formats the note only
// when someone is watching: this runs for every operation.
func (s *sim) traceOp(k traceKind, a int32, in model.Input, prefix string, out model.Output) {
	h := hashWord(hashWord(s.hash, uint64(s.nowNs)), uint64(k)|uint64(uint32(a))<<8)
	h = hashString(hashWord(h, uint64(in.Kind)), in.Key)
	h = hashWord(hashWord(h, uint64(in.Value)), uint64(in.Expected))
	h = hashWord(hashWord(h, uint64(out.Value)), uint64(out.Status)<<1|b2u(out.Has))
	s.hash = hashString(h, prefix)
	if s.observing() {
		note := model.Describe(in, out)
		if prefix != "" {
			note = prefix + " " + note
		}
		s.emit(TraceEvent{AtNs: s.nowNs, Kind: traceNames[k], From: int(a), To: -1, Detail: note, Op: int(s.cause)})
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// traceNote records a free-form entry (faults, crashes).
func (s *sim) traceNote(k traceKind, a int32, note string) {
	s.hash = hashString(hashWord(hashWord(s.hash, uint64(s.nowNs)), uint64(k)|uint64(uint32(a))<<8), note)
	if s.observing() {
		s.emit(TraceEvent{AtNs: s.nowNs, Kind: traceNames[k], From: int(a), To: -1, Detail: note, Op: int(s.cause)})
	}
}

func (s *sim) observing() bool { return s.traceOut != nil || s.observe != nil }

func (s *sim) emit(e TraceEvent) {
	if s.observe != nil {
		s.observe(e)
	}
	if s.traceOut != nil {
		io.WriteString(s.traceOut, FormatTraceEvent(e, s.cfg.Replicas)+"\n")
	}
}

// FormatTraceEvent renders e as one line of the text trace.
func FormatTraceEvent(e TraceEvent, replicas int) string {
	line := fmt.Sprintf("%14s  %-8s %4s", fmtNs(e.AtNs), e.Kind, EndpointName(e.From, replicas))
	if e.To >= 0 {
		line += " → " + EndpointName(e.To, replicas)
	}
	if e.Msg != "" {
		line += "  " + e.Msg
	}
	if e.Detail != "" {
		line += "  " + e.Detail
	}
	return line
}

// EndpointName names endpoint e of a cluster with the given number of
// replicas: "n0" for a replica, "c0" for a client, "-" for none.
func EndpointName(e, replicas int) string {
	switch {
	case e < 0:
		return "-"
	case e < replicas:
		return "n" + strconv.Itoa(e)
	}
	return "c" + strconv.Itoa(e-replicas)
}

// fmtNs renders virtual nanoseconds as milliseconds with microseconds.
func fmtNs(ns int64) string {
	return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) + "ms"
}
