package explore

import (
	"reflect"
	"slices"

	"github.com/casimlab/casim/protocol"
)

// Canonical encoding by reflection: the fallback for nodes without a
// protocol.StateEncoder, and the encoding of messages, timers and stored
// records. It walks every field, exported or not, follows pointers (a
// pointer met again on the way down is written as a back reference, so
// cycles end), writes a map as its entries sorted by the hash of their
// keys, and writes an interface as its dynamic type and value. Addresses,
// functions and channels are never written: a function field says only
// whether it is set.

// stateHash returns the canonical hash of a replica.
func stateHash(n protocol.Node, unreduced bool) uint64 {
	h := newHasher()
	if e, ok := n.(protocol.StateEncoder); ok && !unreduced {
		h.word(1)
		e.EncodeState(&h)
		return h.sum()
	}
	h.word(2)
	encodeValue(&h, reflect.ValueOf(n))
	return h.sum()
}

// valueHash returns the canonical hash of any value (a message, a record).
func valueHash(v any) uint64 {
	h := newHasher()
	encodeValue(&h, reflect.ValueOf(v))
	return h.sum()
}

func encodeValue(h *hasher, v reflect.Value) {
	var e encoder
	e.h = h
	e.walk(v)
}

type encoder struct {
	h    *hasher
	path []uintptr // pointers on the way down, for back references
}

func (e *encoder) walk(v reflect.Value) {
	h := e.h
	if !v.IsValid() {
		h.word(0xdead)
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			h.word(1)
		} else {
			h.word(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.word(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		h.word(v.Uint())
	case reflect.Float32, reflect.Float64:
		h.word(floatBits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		h.word(floatBits(real(c)))
		h.word(floatBits(imag(c)))
	case reflect.String:
		h.str(v.String())
	case reflect.Slice:
		if v.IsNil() {
			h.word(^uint64(0))
			return
		}
		fallthrough
	case reflect.Array:
		n := v.Len()
		h.word(uint64(n))
		for i := range n {
			e.walk(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			e.walk(v.Field(i))
		}
	case reflect.Pointer:
		if v.IsNil() {
			h.word(0)
			return
		}
		p := v.Pointer()
		if i := slices.Index(e.path, p); i >= 0 {
			h.word(0xbac0 + uint64(i)) // a cycle back to the i-th pointer
			return
		}
		h.word(1)
		e.path = append(e.path, p)
		e.walk(v.Elem())
		e.path = e.path[:len(e.path)-1]
	case reflect.Interface:
		if v.IsNil() {
			h.word(0)
			return
		}
		el := v.Elem()
		h.word(typeID(el.Type()))
		e.walk(el)
	case reflect.Map:
		if v.IsNil() {
			h.word(^uint64(0))
			return
		}
		type entry struct{ k, v uint64 }
		entries := make([]entry, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			kh, vh := newHasher(), newHasher()
			(&encoder{h: &kh, path: e.path}).walk(it.Key())
			(&encoder{h: &vh, path: e.path}).walk(it.Value())
			entries = append(entries, entry{kh.sum(), vh.sum()})
		}
		slices.SortFunc(entries, func(a, b entry) int {
			switch {
			case a.k < b.k:
				return -1
			case a.k > b.k:
				return 1
			}
			return 0
		})
		h.word(uint64(len(entries)))
		for _, en := range entries {
			h.word(en.k)
			h.word(en.v)
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		if v.IsNil() {
			h.word(0)
		} else {
			h.word(1)
		}
	}
}
