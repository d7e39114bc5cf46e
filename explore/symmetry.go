package explore

import "slices"

// Symmetry over clients. Two clients whose workloads are the same (the
// same kinds on the same keys, sent to the same coordinators) differ only
// in their names and in the values they write, and the protocols treat
// both alike: they compare values only for equality and order nothing by
// client. (By default client c's j-th operation goes to replica c+j, so
// clients are alike only with one replica or coordinators given in the
// workload, "write/n0;write/n0": replicas are not interchangeable, their
// ids break ballot ties.) An execution in
// which the later-numbered of two such clients invokes first is then the
// mirror image of one in which the earlier does, with the clients'
// names and values exchanged, and a violation in one is a violation in
// the other. So with Config.Symmetry a client may invoke its first
// operation only after every earlier client with the same workload has
// invoked its first: one of the k! orders of first invocation among k
// such clients. (The random draws, which depend on what a replica
// handles, make the two mirror images draw differently; what they can do
// is the same.)

// symmetryAllows reports whether client ci may invoke now.
func (w *world) symmetryAllows(ci int) bool {
	if !w.m.cfg.Symmetry || w.cls[ci].next > 0 {
		return true
	}
	for cj := range ci {
		if w.cls[cj].next == 0 && w.m.alike(ci, cj) {
			return false
		}
	}
	return true
}

// alike reports whether clients a and b run the same operations at the
// same coordinators.
func (m *machine) alike(a, b int) bool {
	pa, pb := m.plans[a], m.plans[b]
	if !slices.EqualFunc(pa, pb, func(x, y OpSpec) bool { return x.Kind == y.Kind && x.Key == y.Key }) {
		return false
	}
	for j := range pa {
		if pa[j].coordinator(a, j, m.cfg.Replicas) != pb[j].coordinator(b, j, m.cfg.Replicas) {
			return false
		}
	}
	return true
}
