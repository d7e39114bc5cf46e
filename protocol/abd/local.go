package abd

// LocalRead answers a degraded read from this replica's cell
// (protocol.LocalReader).
func (n *node) LocalRead(key string) (bool, int64) {
	c := n.cells[key]
	return c.Has, c.V
}
