package caspaxos

// LocalRead answers a degraded read with the value this acceptor last
// accepted (protocol.LocalReader): it may not be chosen yet, which is why
// a degraded answer is checked against a weaker guarantee.
func (n *node) LocalRead(key string) (bool, int64) {
	v := n.keys[key].Accepted.Value
	return v.Has, v.V
}
