// Package prototest holds what the protocol packages' unit tests share: a
// durable store and a replica's Env, without a simulator.
package prototest

import (
	"math/rand/v2"
	"slices"

	"github.com/casimlab/casim/protocol"
)

// MapStore is a durable store for tests.
type MapStore map[string]any

func (s MapStore) Get(k string) (any, bool) { v, ok := s[k]; return v, ok }

// Keys returns the keys in sorted order, as protocol.Store promises.
func (s MapStore) Keys() []string {
	var ks []string
	for k := range s {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Env is replica 0's Env in a cluster of three, with a fixed random source.
func Env(opts protocol.Options) *protocol.Env {
	return &protocol.Env{Config: protocol.Config{Self: 0, N: 3, Options: opts}, Rand: rand.New(rand.NewPCG(1, 2))}
}
