// Package explore searches the orders of events of a small configuration
// of a protocol, with the same protocol code, the same history format and
// the same checker as the simulator, and returns a shortest
// counterexample when a reachable history is not linearizable.
//
// The model. A state (world) is the replicas (each a protocol.Node, its
// durable records and its incarnation), the messages in flight (a
// multiset), the replicas' pending timers, the clients and the history.
// A step is one choice: deliver a message, duplicate one (within the
// Dups budget), fire a replica's earliest pending timer, fire a client's
// earliest timer (attempt timeout, resolve, deadline), let an idle client
// invoke its next operation, or crash and restart a replica from what it
// persisted (within the Crashes budget). Loss needs no choice: a message
// can stay in flight for ever, and a state is checked whatever is still in
// flight.
//
// Time is abstracted to the order of events. The model's clock moves
// only when a timer fires (to its due time) or a message between
// replicas arrives (to its send time plus Config.MinLatencyNs); every
// handler reads that clock. So deadlines and round timeouts still mean
// what they mean, timers fire in any order across nodes (in due order at
// each), and a small configuration has a finite space.
//
// Randomness. A handler's random draws (ballot tie-breakers, operation
// ids, backoffs) are a function of the replica, its incarnation and the
// input it handles, so that the same state reached by different orders
// draws the same: one fixed draw per input, not every possible draw.
//
// State hashing. Each replica is hashed by its protocol.StateEncoder if it
// has one, else by a canonical reflection walk (encode.go); messages and
// timers by content (a message as its receiver reads it, if the receiver
// is a protocol.MessageEncoder); the history by what the checker sees of it (each
// operation's input and outcome and which operations completed before it
// was invoked), not by the order of its events. The visited set keeps
// 64-bit hashes (visited.go).
//
// Reductions that keep the search exact: a step that changes nothing but
// the message it uses up is not a new state (the state before it, with
// the message still in flight, covers everything it can do); a message
// that can no longer change anything is dropped (protocol.Staleness for
// replicas, staleReply for clients: dropStale), and with replica timers
// off their timers are not kept; a replica no client request can reach
// again is retired (protocol.Retirer, retire.go), and leaves out what
// only a future request would read; when no step moves the clock, sleep sets
// take one order of two deliveries to different replicas (sleep.go), and a
// delivery its retired replica calls eager (protocol.Eager) is taken alone
// (eager.go); and,
// with Config.Symmetry, clients with the same operations invoke first in
// one order only (symmetry.go). TestReductionsKeepHistories,
// TestStaleMessagesAreNoops and TestSleepSetsKeepStates check them
// against the search without them. For spaces too large to exhaust,
// Config.Delays bounds the search to executions close to a default
// schedule (delay.go): it finds the registry's interleaving bugs in
// seconds, and never claims completeness.
//
// States are reached by copying: a successor shares its predecessor's
// replicas but the one that handled its step, which is deep-copied
// (protocol.Cloner, else by reflection: clone.go); TestCloneFidelity checks the copies against
// replicas that ran in place.
package explore
