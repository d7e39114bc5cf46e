package main

import (
	"fmt"
	"io"
	"strings"
)

// seedList renders up to 20 seeds, then how many more (--json has all).
func seedList(seeds []uint64) string {
	var b strings.Builder
	for i, s := range seeds {
		if i == 20 {
			fmt.Fprintf(&b, " … (%d more; --json lists them all)", len(seeds)-20)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, s)
	}
	return b.String()
}

// printReproduce lists up to ten seeds, each with the command that
// replays it, and the rest as numbers.
func printReproduce(w io.Writer, what string, seeds []uint64, replay func(uint64) string) {
	if len(seeds) == 0 {
		return
	}
	fmt.Fprintf(w, "%d %s; reproduce with:\n", len(seeds), what)
	for i, seed := range seeds {
		if i == 10 {
			fmt.Fprintf(w, "  ... and %d more: %s\n", len(seeds)-10, seedList(seeds[10:]))
			break
		}
		fmt.Fprintf(w, "  %s\n", replay(seed))
	}
}
