package pb

// LocalRead answers a degraded read from this replica's data: the
// primary's state, or what a backup has applied (protocol.LocalReader).
func (n *node) LocalRead(key string) (bool, int64) {
	v := n.state[key]
	if n.p != nil {
		v = n.p.state[key]
	}
	return v.Has, v.V
}
