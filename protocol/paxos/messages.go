package paxos

// Messages between replicas. Op identifies the coordinator's operation so
// that responses find their way back; Ballot guards against responses from
// an earlier round of the same operation.

type prepare struct {
	Key    string
	Op     uint64
	Ballot Ballot
	// Ticket is the ballot of the operation's first prepare, its age;
	// RoundNs, if the operation prepares again, the coordinator's round,
	// which asks the acceptors to hold the key for it until its proposal
	// (rtt.Deference.Hold).
	Ticket  Ballot
	RoundNs int64
}

type promise struct {
	Key      string
	Op       uint64
	Ballot   Ballot
	OK       bool
	Promised Ballot // on a refusal: the promise that beat us
	// Held, on a refusal: the promise is held for an older operation's
	// round (rtt.Deference.Holds), which is to go first.
	Held bool
	// Before is the promise this prepare replaced (paxos2 reads skip the
	// proposal only if no replica had promised past the newest commit).
	Before    Ballot
	Accepted  Proposal
	Committed Proposal
}

type readReq struct {
	Key    string
	Op     uint64
	Ballot Ballot
}

type readResp struct {
	Key       string
	Op        uint64
	Ballot    Ballot
	Committed Proposal
}

type propose struct {
	Key      string
	Op       uint64
	Proposal Proposal
}

type accepted struct {
	Key      string
	Op       uint64
	Ballot   Ballot
	OK       bool
	Promised Ballot
}

type commit struct {
	Key      string
	Op       uint64
	Proposal Proposal
}

type committed struct {
	Key    string
	Op     uint64
	Ballot Ballot
}

func (prepare) Kind() string   { return "prepare" }
func (promise) Kind() string   { return "promise" }
func (readReq) Kind() string   { return "read" }
func (readResp) Kind() string  { return "read-resp" }
func (propose) Kind() string   { return "propose" }
func (accepted) Kind() string  { return "accept-resp" }
func (commit) Kind() string    { return "commit" }
func (committed) Kind() string { return "commit-resp" }
