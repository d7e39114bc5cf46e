package main

import (
	"github.com/casimlab/casim/checker"
	"github.com/casimlab/casim/sweep"
)

// exitStatus maps a verdict to casim's exit status.
func exitStatus(v checker.Verdict) int {
	switch v {
	case checker.Illegal:
		return exitViolation
	case checker.Unknown:
		return exitUnknown
	case sweep.Stuck:
		return exitStuck
	case sweep.Unavailable:
		return exitUnavailable
	}
	return exitOK
}

// replayCommand is the one command that reproduces a seed.
func replayCommand(f *simFlags, seed uint64) string {
	return "casim run " + f.flagsFor(seed)
}
