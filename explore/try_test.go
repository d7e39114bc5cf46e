package explore

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/casimlab/casim/protocol"
	_ "github.com/casimlab/casim/protocol/all"
)

func TestTry(t *testing.T) {
	name := os.Getenv("TRY")
	if name == "" {
		t.Skip()
	}
	p, _ := protocol.Lookup(name)
	c := NewConfig(p, 2, 1)
	if w := os.Getenv("WL"); w != "" {
		c.Workload, _ = ParseWorkload(w)
	}
	c.Crashes, _ = strconv.Atoi(os.Getenv("CRASH"))
	c.Retries, _ = strconv.Atoi(os.Getenv("RETRIES"))
	c.Timeout = 60 * time.Second
	c.Symmetry = os.Getenv("SYM") != ""
	if d := os.Getenv("DELAYS"); d != "" {
		c.Delays, _ = strconv.Atoi(d)
	}
	c.DFS = os.Getenv("DFS") != ""
	if d := os.Getenv("DEADLINE"); d != "" {
		c.DeadlineNs, _ = strconv.ParseInt(d, 10, 64)
	}
	r, err := Explore(context.Background(), c)
	fmt.Printf("%s err=%v states=%d unique=%d pruned=%d depth=%d complete=%v stopped=%q verdict=%s %.0f st/s path=%d checks=%d\n",
		name, err, r.States, r.Unique, r.Pruned, r.Depth, r.Complete, r.Stopped, r.Verdict, r.StatesPerSecond(), len(r.Path), r.Checks)
}
