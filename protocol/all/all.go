// Package all registers every protocol casim ships. Import it for its side
// effect; a new protocol package gets one line here.
package all

import (
	_ "github.com/casimlab/casim/protocol/abd"      // abd and abd/no-write-back
	_ "github.com/casimlab/casim/protocol/caspaxos" // caspaxos and its variants
	_ "github.com/casimlab/casim/protocol/lww"      // lww and lww/read-one
	_ "github.com/casimlab/casim/protocol/paxos"    // paxos and its variants
	_ "github.com/casimlab/casim/protocol/pb"       // pb and pb/early-ack
)
