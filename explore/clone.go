package explore

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/casimlab/casim/protocol"
)

// Cloning a replica by reflection. The explorer expands a state into each
// of its successors, and a handler mutates its replica in place, so each
// successor needs its own copy of the replica that handles the event (the
// other replicas are shared, copy on write). A deep copy walks every
// field, unexported ones included (through unsafe: package reflect will
// not set them otherwise), keeps pointer aliasing within the replica, and
// shares what cannot change: strings, functions and channels. A replica
// must therefore not hold a closure over its own state (a function field
// is shared, not copied); none of casim's protocols does, and
// TestCloneFidelity replays paths from scratch to catch a clone that
// differs from the original.

// cloneNode returns a deep copy of n.
// A node that implements protocol.Cloner copies itself.
func cloneNode(n protocol.Node, unreduced bool) protocol.Node {
	if c, ok := n.(protocol.Cloner); ok && !unreduced {
		return c.CloneNode()
	}
	c := cloner{seen: map[unsafe.Pointer]reflect.Value{}}
	src := reflect.ValueOf(&n).Elem() // the interface, addressable
	dst := reflect.New(src.Type()).Elem()
	c.copy(dst, src)
	return dst.Interface().(protocol.Node)
}

type cloner struct {
	seen map[unsafe.Pointer]reflect.Value
}

// open returns v without the read-only flag of an unexported field, so
// that it can be set and read whole.
func open(v reflect.Value) reflect.Value {
	if v.CanAddr() && !v.CanSet() {
		return reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem()
	}
	return v
}

// copy makes dst (settable) a deep copy of src.
func (c *cloner) copy(dst, src reflect.Value) {
	src = open(src)
	dst = open(dst)
	t := src.Type()
	if flat(t) {
		dst.Set(src)
		return
	}
	switch src.Kind() {
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		n := src.Len()
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			c.copy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			c.copy(dst.Index(i), src.Index(i))
		}
	case reflect.Struct:
		for i := range src.NumField() {
			c.copy(dst.Field(i), src.Field(i))
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := src.UnsafePointer()
		if q, ok := c.seen[p]; ok {
			dst.Set(q)
			return
		}
		q := reflect.New(t.Elem())
		c.seen[p] = q
		c.copy(q.Elem(), src.Elem())
		dst.Set(q)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		el := src.Elem()
		tmp := reflect.New(el.Type()).Elem()
		c.copy(tmp, el)
		dst.Set(tmp)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(t, src.Len())
		it := src.MapRange()
		kt, vt := t.Key(), t.Elem()
		for it.Next() {
			// Map entries are not addressable, so the unexported fields
			// of a struct held in a map could not be opened: copy the
			// entry to an addressable value first (caspaxos's cache of
			// promises, one round trip on, panicked here).
			sk, sv := reflect.New(kt).Elem(), reflect.New(vt).Elem()
			sk.Set(it.Key())
			sv.Set(it.Value())
			k := reflect.New(kt).Elem()
			c.copy(k, sk)
			v := reflect.New(vt).Elem()
			c.copy(v, sv)
			m.SetMapIndex(k, v)
		}
		dst.Set(m)
	default: // functions, channels, unsafe pointers: shared
		dst.Set(src)
	}
}

var flatTypes sync.Map // reflect.Type -> bool

// flat reports whether a value of type t can be copied by assignment: it
// holds no pointer, slice, map or interface (strings are immutable).
func flat(t reflect.Type) bool {
	if f, ok := flatTypes.Load(t); ok {
		return f.(bool)
	}
	var f bool
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		f = true
	case reflect.Array:
		f = flat(t.Elem())
	case reflect.Struct:
		f = true
		for i := range t.NumField() {
			if !flat(t.Field(i).Type) {
				f = false
				break
			}
		}
	}
	flatTypes.Store(t, f)
	return f
}
