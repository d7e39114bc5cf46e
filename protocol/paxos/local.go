package paxos

// LocalRead answers a degraded read with the latest proposal this replica
// knows committed (protocol.LocalReader): never an uncommitted one.
func (n *node) LocalRead(key string) (bool, int64) {
	v := n.keys[key].Committed.Value
	return v.Has, v.V
}
