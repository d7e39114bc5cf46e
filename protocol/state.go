package protocol

import "io"

// StateEncoder is optional for a Node: a canonical encoding of the
// replica's state, for casim explore's visited set. Two replicas that will
// behave the same on every future input must write the same bytes, and
// two that may behave differently must not: the encoding must cover
// everything a handler reads (volatile and durable state alike), must not
// depend on map iteration order, and must not contain addresses. A node
// without it is encoded by reflection (package explore walks its fields,
// follows pointers and sorts map entries), which is exact but slower; a
// hand-written encoder may also leave out what is provably irrelevant (a
// statistic no handler reads) to merge more states.
type StateEncoder interface {
	EncodeState(w io.Writer)
}
