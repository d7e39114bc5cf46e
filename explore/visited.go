package explore

// visitedSet maps a state's hash to its id (its index in the search's
// parent and via), in about 16 bytes a state where a Go map of the same
// took 34 (paxos's restricted two-client search at four million
// states): the hashes are kept per id (hashOf), and the table, open
// addressing with linear probing, holds only ids (plus one; 0 is an
// empty slot), kept at most three quarters full.
type visitedSet struct {
	hashOf []uint64
	slots  []int32
	mask   uint64
}

// get returns the id of the state of hash h.
func (v *visitedSet) get(h uint64) (int32, bool) {
	if len(v.slots) == 0 {
		return 0, false
	}
	for i := mix(h) & v.mask; ; i = (i + 1) & v.mask {
		id := v.slots[i] - 1
		if id < 0 {
			return 0, false
		}
		if v.hashOf[id] == h {
			return id, true
		}
	}
}

// add records h as the next id, which it returns; h must be new.
func (v *visitedSet) add(h uint64) int32 {
	id := int32(len(v.hashOf))
	v.hashOf = append(v.hashOf, h)
	if 4*len(v.hashOf) > 3*len(v.slots) {
		v.grow()
		return id // grow placed it
	}
	v.place(id)
	return id
}

func (v *visitedSet) place(id int32) {
	i := mix(v.hashOf[id]) & v.mask
	for v.slots[i] != 0 {
		i = (i + 1) & v.mask
	}
	v.slots[i] = id + 1
}

// grow doubles the table (from 1024 slots) and places every id again.
func (v *visitedSet) grow() {
	n := max(2*len(v.slots), 1024)
	v.slots = nil // let the old table go before the new one is made
	v.slots = make([]int32, n)
	v.mask = uint64(n - 1)
	for id := range v.hashOf {
		v.place(int32(id))
	}
}
