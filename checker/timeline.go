package checker

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/casimlab/casim/model"
)

// Timeline draws ops as an ASCII timeline of at most widthCols columns: one
// row per process, each operation a bar [label---] from its invoke to its
// completion, an indeterminate one running off the right edge as [label..>.
// Columns follow event order, not time, so the picture stays small; only
// overlap matters for linearizability. If the labels do not fit, bars get
// numbers and a legend follows.
func Timeline(ops []Op, widthCols int) string {
	if len(ops) == 0 {
		return ""
	}
	labels := make([]string, len(ops))
	for i, op := range ops {
		labels[i] = shortLabel(op)
	}
	if s, ok := drawTimeline(ops, labels, widthCols); ok {
		return s
	}
	var legend strings.Builder
	for i, op := range ops {
		labels[i] = strconv.Itoa(i + 1)
		fmt.Fprintf(&legend, "  %d: p%d %s", i+1, op.Process, model.Describe(op.Input, op.Output))
		if op.Line > 0 {
			fmt.Fprintf(&legend, " (line %d)", op.Line)
		}
		legend.WriteByte('\n')
	}
	if s, ok := drawTimeline(ops, labels, widthCols); ok {
		return s + legend.String()
	}
	return legend.String()
}

// shortLabel is an ASCII label: "w 1", "r 2", "r nil", "cas 1>2",
// "cas 1>2 fail", with "?" for an indeterminate outcome.
func shortLabel(op Op) string {
	var s string
	switch op.Input.Kind {
	case model.Read:
		s = "r "
		switch {
		case op.Output.Status == model.Unknown:
			s += "?"
		case op.Output.Has:
			s += strconv.FormatInt(op.Output.Value, 10)
		default:
			s += "nil"
		}
		return s
	case model.Write:
		s = "w " + strconv.FormatInt(op.Input.Value, 10)
	default:
		s = "cas " + strconv.FormatInt(op.Input.Expected, 10) + ">" + strconv.FormatInt(op.Input.Value, 10)
	}
	switch op.Output.Status {
	case model.CompareFailed:
		s += " fail"
	case model.Unknown:
		s += " ?"
	}
	return s
}

func drawTimeline(ops []Op, labels []string, widthCols int) (string, bool) {
	// Event times, in order; Never (indeterminate) is the right edge.
	var times []int64
	for _, op := range ops {
		times = append(times, op.Call)
		if op.Return != Never {
			times = append(times, op.Return)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	rank := func(t int64) int { i, _ := slices.BinarySearch(times, t); return i }
	// x[i] is the column of times[i]: one column after the previous event,
	// and far enough after each bar's start to hold its label.
	x := make([]int, len(times)+1) // x[len(times)] is the right edge
	for i := range x {
		if i > 0 {
			x[i] = x[i-1] + 1
		}
		for j, op := range ops {
			end := len(times)
			if op.Return != Never {
				end = rank(op.Return)
			}
			if end == i {
				x[i] = max(x[i], x[rank(op.Call)]+len(labels[j])+1)
			}
		}
	}
	procs := []int{}
	for _, op := range ops {
		procs = append(procs, op.Process)
	}
	slices.Sort(procs)
	procs = slices.Compact(procs)
	margin := 0
	for _, p := range procs {
		margin = max(margin, len("p"+strconv.Itoa(p))+1)
	}
	if margin+x[len(times)]+1 > widthCols {
		return "", false
	}
	var sb strings.Builder
	for _, p := range procs {
		row := []byte(strings.Repeat(" ", x[len(times)]+1))
		for j, op := range ops {
			if op.Process != p {
				continue
			}
			from := x[rank(op.Call)]
			to, fill, closer := x[len(times)], byte('.'), byte('>')
			if op.Return != Never {
				to, fill, closer = x[rank(op.Return)], '-', ']'
			}
			row[from] = '['
			for c := from + 1; c < to; c++ {
				row[c] = fill
			}
			copy(row[from+1:], labels[j])
			row[to] = closer
		}
		fmt.Fprintf(&sb, "%-*s%s\n", margin, "p"+strconv.Itoa(p), strings.TrimRight(string(row), " "))
	}
	return sb.String(), true
}
