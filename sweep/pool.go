package sweep

import (
	"context"
	"sync"
)

// Each calls work(i) for every job i in 0..n-1 on up to workers goroutines
// and hands each result to done, in job order, on the calling goroutine: output built in
// done does not depend on the number of workers or on which run finished
// first. Once ctx is done no more jobs start; those already started finish
// and are handed over, so a stopped sweep loses nothing it ran. The first
// error of work also stops it; results after the failed job are not
// handed over.
//
// Each returns how many results it handed over (jobs 0 .. that-1) and the
// first error. Jobs are numbers, not values, so that a sweep of a billion
// seeds holds none of them in memory.
func Each[R any](ctx context.Context, workers, n int, work func(i int) (R, error), done func(i int, r R)) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i   int
		r   R
		err error
	}
	next := make(chan int)
	results := make(chan result, max(workers, 1))
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := work(i)
				results <- result{i, r, err}
			}
		}()
	}
	go func() {
	feed:
		for i := range n {
			if ctx.Err() != nil {
				break
			}
			select {
			case next <- i:
			case <-ctx.Done():
				break feed
			}
		}
		close(next)
		wg.Wait()
		close(results)
	}()
	pending := map[int]R{} // finished out of order
	handed := 0
	var firstErr error
	for res := range results {
		if firstErr != nil {
			continue
		}
		if res.err != nil {
			firstErr = res.err
			cancel()
			continue
		}
		pending[res.i] = res.r
		for {
			r, ok := pending[handed]
			if !ok {
				break
			}
			delete(pending, handed)
			done(handed, r)
			handed++
		}
	}
	return handed, firstErr
}
