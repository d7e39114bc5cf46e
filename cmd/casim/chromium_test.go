package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireChromium skips a test that loads a report in a browser when
// Chromium is missing on a developer's machine, and fails it in CI
// (CI=true), where a skipped browser check would pass silently.
func requireChromium(t *testing.T) {
	t.Helper()
	if msg, fail := chromiumMissing(lookChromium(), os.Getenv("CI")); msg != "" {
		if fail {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
}

func lookChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromiumMissing says what to do without Chromium: nothing when found,
// skip locally, fail in CI.
func chromiumMissing(found, ci string) (msg string, fail bool) {
	if found != "" {
		return "", false
	}
	if ci == "true" {
		return "CI=true but no chromium on PATH: the HTML reports cannot be loaded in a browser (apt-get install -y chromium)", true
	}
	return "no chromium on PATH (apt-get install -y chromium); CI fails here instead of skipping", false
}

func TestChromiumMissingFailsInCI(t *testing.T) {
	_, fail := chromiumMissing("", "true")
	require.True(t, fail)
	msg, fail := chromiumMissing("", "")
	require.False(t, fail)
	require.NotEmpty(t, msg)
	msg, _ = chromiumMissing("/usr/bin/chromium", "true")
	require.Empty(t, msg)
}
