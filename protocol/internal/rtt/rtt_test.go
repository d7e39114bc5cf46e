package rtt

import (
	"math/rand/v2"
	"testing"

	"github.com/casimlab/casim/protocol"
)

func TestTimeoutFollowsTheRounds(t *testing.T) {
	var e Estimator
	if got := e.TimeoutNs(); got != MinTimeoutNs {
		t.Fatalf("fresh estimator: %d, want the minimum", got)
	}
	for range 50 {
		e.Observe(20_000_000) // 20ms rounds
	}
	if got := e.TimeoutNs(); got < 20_000_000 || got > 30_000_000 {
		t.Fatalf("after steady 20ms rounds the timeout is %d", got)
	}
	for range 50 {
		e.Observe(1_000_000_000)
	}
	if got := e.TimeoutNs(); got < 1_000_000_000 || got > 1_100_000_000 {
		t.Fatalf("slow rounds: %d, want about a round", got)
	}
	for range 100 {
		e.Observe(1_000_000)
	}
	if got := e.TimeoutNs(); got != MinTimeoutNs {
		t.Fatalf("fast rounds: %d, want the minimum", got)
	}
}

// Before any round completes, the timeout comes from the deployment's
// round trip: a 600ms round trip must not time out at 10ms.
func TestTimeoutStartsFromTheHint(t *testing.T) {
	e := New(600_000_000)
	if got := e.TimeoutNs(); got != 1_800_000_000 {
		t.Fatalf("hinted timeout %d, want three round trips", got)
	}
	e = New(100_000) // a LAN: the minimum still holds
	if got := e.TimeoutNs(); got != MinTimeoutNs {
		t.Fatalf("hinted timeout %d, want the minimum", got)
	}
}

// A timeout doubles the next ones until a round completes, so a wrong
// hint (or none) still converges on a slow network.
func TestTimeoutBacksOffAfterATimeout(t *testing.T) {
	e := New(20_000_000)
	hi := int64(maxRounds * 20_000_000)
	prev := e.TimeoutNs()
	for i := range maxDoublings {
		e.TimedOut()
		got := e.TimeoutNs()
		if got != min(2*prev, hi) {
			t.Fatalf("timeout %d: %d, want %d", i+1, got, min(2*prev, hi))
		}
		prev = got
	}
	e.TimedOut()
	if got := e.TimeoutNs(); got != prev {
		t.Fatalf("past the doubling bound: %d, want %d", got, prev)
	}
	e.Observe(5_000_000)
	if got := e.TimeoutNs(); got != 15_000_000 {
		t.Fatalf("after a completed 5ms round: %d, want 5ms + 4 × 2.5ms, not doubled", got)
	}
	var z Estimator
	z.TimedOut()
	if got := z.TimeoutNs(); got != 2*MinTimeoutNs {
		t.Fatalf("no hint, one timeout: %d, want twice the minimum", got)
	}
}

func TestBackoffCapGrowsAndScales(t *testing.T) {
	var e Estimator
	if a, b := e.BackoffCapNs(1, 1e6, 32e6), e.BackoffCapNs(3, 1e6, 32e6); a >= b {
		t.Fatalf("cap does not grow with attempts: %d then %d", a, b)
	}
	if got := e.BackoffCapNs(20, 1e6, 32e6); got != 32e6 {
		t.Fatalf("cap %d, want the max", got)
	}
	for range 50 {
		e.Observe(10e6)
	}
	if got := e.BackoffCapNs(20, 1e6, 32e6); got != backoffRounds*10e6 {
		t.Fatalf("cap %d, want %d 10ms rounds", got, backoffRounds)
	}
	h := New(100e6)
	if got := h.BackoffCapNs(0, 1e6, 32e6); got != 400e6 {
		t.Fatalf("hinted first cap %d, want four 100ms rounds", got)
	}
}

// A refused proposer yields at least the rounds its winner still needs,
// and its jitter stays within the stated rounds; a deadline still caps it.
func TestYieldWaitsOutTheWinner(t *testing.T) {
	e := New(40e6)
	env := &protocol.Env{Rand: rand.New(rand.NewPCG(1, 2))}
	var r Round
	for i := range 200 {
		env.Timers = env.Timers[:0]
		r.Yield(env, &e, "k", 1, 4, 4, 1e12)
		got := env.Timers[0].AfterNs
		if got <= 4*40e6 || got > 8*40e6 {
			t.Fatalf("yield %d: %dns, want in (4, 8] rounds of 40ms", i, got)
		}
	}
	if r.Attempt != 200 {
		t.Fatalf("attempts %d, want 200", r.Attempt)
	}
	env.Timers = env.Timers[:0]
	r.Yield(env, &e, "k", 1, 4, 4, 10e6)
	if got := env.Timers[0].AfterNs; got != 10e6+1 {
		t.Fatalf("yield past the deadline: %dns, want just past it", got)
	}
}
