package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADME runs the commands the README shows and compares their
// output, so that the README cannot drift from what casim prints (its
// `casim check` example once showed another history's output).
//
// Every plain ``` block of the README is one of:
//   - commands: lines starting with "$ " (`$ casim ...`, `$ go run
//     ./cmd/casim ...`, or `$ cat FILE`, whose shown content becomes the
//     file), each followed by its expected standard output, in which a
//     line "..." stands for any number of lines and wall-clock figures are
//     masked;
//   - an excerpt of the previous command's output, marked
//     <!-- readme-test: excerpt ... -->: its lines appear in that output
//     in order, with spacing collapsed and Key and Op fields left out;
//   - marked <!-- readme-test: skip (reason) -->.
//
// The commands run in order in one directory, as a reader would type them.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	var last string // the previous command's output
	for _, b := range readmeBlocks(string(data)) {
		switch {
		case strings.HasPrefix(b.marker, "skip"):
			continue
		case strings.HasPrefix(b.marker, "excerpt"):
			if err := isExcerpt(b.lines, last); err != "" {
				t.Errorf("README line %d: excerpt not in the output of the command before it: %s", b.line, err)
			}
		case len(b.lines) > 0 && strings.HasPrefix(b.lines[0], "$ "):
			last = runReadmeCommands(t, b)
		default:
			t.Errorf("README line %d: an output block no test checks: start it with `$ casim ...` or mark it <!-- readme-test: ... -->", b.line)
		}
	}
}

type readmeBlock struct {
	line   int // of the opening fence
	marker string
	lines  []string
}

var readmeMarker = regexp.MustCompile(`^<!-- readme-test: (.*) -->$`)

// readmeBlocks returns the README's plain fenced blocks (no language), each
// with the marker on the line before it, if any.
func readmeBlocks(text string) []readmeBlock {
	var out []readmeBlock
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		plain := lines[i] == "```"
		b := readmeBlock{line: i + 1}
		if i > 0 {
			if m := readmeMarker.FindStringSubmatch(lines[i-1]); m != nil {
				b.marker = m[1]
			}
		}
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			b.lines = append(b.lines, lines[i])
		}
		if plain {
			out = append(out, b)
		}
	}
	return out
}

// runReadmeCommands runs a block's commands and returns the last output.
func runReadmeCommands(t *testing.T, b readmeBlock) string {
	t.Helper()
	var out string
	for i := 0; i < len(b.lines); {
		cmdLine := strings.TrimPrefix(b.lines[i], "$ ")
		j := i + 1
		for j < len(b.lines) && !strings.HasPrefix(b.lines[j], "$ ") {
			j++
		}
		want := b.lines[i+1 : j]
		args := strings.Fields(cmdLine)
		switch {
		case len(args) == 2 && args[0] == "cat":
			if err := os.WriteFile(filepath.Clean(args[1]), []byte(strings.Join(want, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			i = j
			continue
		case len(args) > 3 && strings.Join(args[:3], " ") == "go run ./cmd/casim":
			args = args[3:]
		case len(args) > 1 && args[0] == "casim":
			args = args[1:]
		default:
			t.Errorf("README line %d: not a casim command: %s", b.line+1+i, cmdLine)
			return ""
		}
		_, out, _ = casim(args...)
		got := strings.Split(strings.TrimRight(maskWallClock(out), "\n"), "\n")
		if !matchLines(maskLines(want), got) {
			t.Errorf("README line %d: the output of `%s` differs from the README's; it prints:\n%s", b.line+1+i, cmdLine, out)
		}
		i = j
	}
	return out
}

func maskLines(lines []string) []string {
	return strings.Split(maskWallClock(strings.Join(lines, "\n")), "\n")
}

// matchLines matches got against want, in which a line "..." stands for
// any number of lines; trailing spaces do not count.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "..." {
		for k := 0; k <= len(got); k++ {
			if matchLines(want[1:], got[k:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && strings.TrimRight(want[0], " ") == strings.TrimRight(got[0], " ") && matchLines(want[1:], got[1:])
}

var keyOpField = regexp.MustCompile(` (Key|Op):\S+`)

func normalizeTraceLine(s string) string {
	return strings.Join(strings.Fields(keyOpField.ReplaceAllString(s, "")), " ")
}

// isExcerpt says why lines are not, in order, lines of out ("" if they
// are).
func isExcerpt(lines []string, out string) string {
	outLines := strings.Split(out, "\n")
	k := 0
	for _, l := range lines {
		want := normalizeTraceLine(l)
		for k < len(outLines) && normalizeTraceLine(outLines[k]) != want {
			k++
		}
		if k == len(outLines) {
			return "no line (in order) " + l
		}
		k++
	}
	return ""
}

// The matcher itself: "..." spans any lines, and nothing else differs.
func TestReadmeMatchLines(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{"a\n...\nd", "a\nb\nc\nd", true},
		{"a\n...", "a", true},
		{"a\nb", "a\nc", false},
		{"a\n...\nd", "a\nb\nc", false},
		{"a", "a\nb", false},
	} {
		if got := matchLines(strings.Split(tc.want, "\n"), strings.Split(tc.got, "\n")); got != tc.ok {
			t.Errorf("matchLines(%q, %q) = %v", tc.want, tc.got, got)
		}
	}
	if isExcerpt([]string{"W1  1ms  n0 → n1  propose  Ballot:3"}, "W1      1ms  n0   → n1  propose  Key:k0 Op:77 Ballot:3") != "" {
		t.Error("an excerpt with spacing collapsed and Key and Op left out must match")
	}
	if isExcerpt([]string{"W1 1ms n0 propose Ballot:4"}, "W1 1ms n0 propose Ballot:3") == "" {
		t.Error("a changed field must not match")
	}
}
