package protocol

import "testing"

// A forwarded request carries the time left, and the next replica puts
// the deadline back on its own clock, however far the clocks differ.
func TestForwardAndArrive(t *testing.T) {
	req := Request{TimeoutNs: 1000}.Arrive(5_000) // the first replica's clock
	if req.DeadlineNs != 6_000 {
		t.Fatalf("deadline %d, want 6000", req.DeadlineNs)
	}
	fwd, ok := req.Forward(5_400)
	if !ok || fwd.TimeoutNs != 600 {
		t.Fatalf("forward = %d, %v; want 600 left", fwd.TimeoutNs, ok)
	}
	if got := fwd.Arrive(-90_000).DeadlineNs; got != -89_400 { // a clock far behind
		t.Fatalf("deadline at the next replica %d, want -89400", got)
	}
	if _, ok := req.Forward(6_000); ok {
		t.Fatal("nothing left at the deadline: no forward")
	}
}
