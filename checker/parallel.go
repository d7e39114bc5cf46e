package checker

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/casimlab/casim/model"
)

// stopper lets a running porcupine search be abandoned at once. porcupine
// only stops on its own timeout, so each search gets a model whose Step
// fails as soon as stop reports true: every step then fails, the search
// unwinds in a few steps per operation, and the caller discards the result.
// That is what makes --timeout, Ctrl-C and "another key is already illegal"
// take effect promptly instead of when the slowest key finishes.
type stopper func() bool

func stoppableModel(stop stopper) porcupine.Model {
	m := model.Porcupine()
	m.Partition = nil
	m.Step = func(state, input, output any) (bool, any) {
		if stop() {
			return false, state
		}
		return model.Step(state.(model.State), input.(model.Input), output.(model.Output))
	}
	return m
}

// search checks one key's operations; it returns porcupine.Unknown if stop
// fired during the search.
func search(ops []porcupine.Operation, stop stopper) porcupine.CheckResult {
	if stop() {
		return porcupine.Unknown
	}
	res := porcupine.CheckOperationsTimeout(stoppableModel(stop), ops, 0)
	if stop() {
		return porcupine.Unknown
	}
	return res
}

// deadlineStop returns a stopper that fires when ctx is done or at the
// deadline (zero: none), and a function to release its timer.
func deadlineStop(ctx context.Context, deadline time.Time) (stopper, func()) {
	var fired atomic.Bool
	if ctx.Err() != nil || !deadline.IsZero() && !time.Now().Before(deadline) {
		fired.Store(true)
	}
	release := context.AfterFunc(ctx, func() { fired.Store(true) })
	var timer *time.Timer
	if !deadline.IsZero() {
		timer = time.AfterFunc(time.Until(deadline), func() { fired.Store(true) })
	}
	return fired.Load, func() {
		release()
		if timer != nil {
			timer.Stop()
		}
	}
}

// checkKeys checks every key's operations with alg, at most GOMAXPROCS at a time,
// in key order. Once key i is found illegal, keys after i are abandoned but
// keys before it are finished, so the key reported (the first illegal one
// in key order) does not depend on scheduling.
func checkKeys(keys [][]porcupine.Operation, alg Algorithm, stop stopper) []keyResult {
	results := make([]keyResult, len(keys))
	var next atomic.Int64
	var firstIllegal atomic.Int64
	firstIllegal.Store(int64(len(keys)))
	workers := min(runtime.GOMAXPROCS(0), len(keys))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(keys)) {
					return
				}
				keyStop := func() bool { return stop() || firstIllegal.Load() < i }
				results[i] = checkKey(keys[i], alg, keyStop)
				if results[i].res == porcupine.Illegal {
					for {
						cur := firstIllegal.Load()
						if cur <= i || firstIllegal.CompareAndSwap(cur, i) {
							break
						}
					}
				}
			}
		})
	}
	wg.Wait()
	for i := range results {
		if results[i].res == "" {
			results[i].res = porcupine.Unknown
		}
	}
	return results
}
