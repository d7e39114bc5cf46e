package rtt

import "testing"

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
	if got := e.TimeoutNs(); got != MaxTimeoutNs {
		t.Fatalf("slow rounds: %d, want the maximum", got)
	}
	for range 100 {
		e.Observe(1_000_000)
	}
	if got := e.TimeoutNs(); got != MinTimeoutNs {
		t.Fatalf("fast rounds: %d, want the minimum", got)
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
	if got := e.BackoffCapNs(20, 1e6, 32e6); got != 160e6 {
		t.Fatalf("cap %d, want sixteen 10ms rounds", got)
	}
}
