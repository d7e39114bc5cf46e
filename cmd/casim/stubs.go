package main

import "io"

// Placeholders while the simulator lands; replaced by run.go, sweep.go,
// check.go and protocols.go.
func cmdRun(args []string, stdout, stderr io.Writer) int       { return exitUsage }
func cmdSweep(args []string, stdout, stderr io.Writer) int     { return exitUsage }
func cmdCheck(args []string, stdout, stderr io.Writer) int     { return exitUsage }
func cmdProtocols(args []string, stdout, stderr io.Writer) int { return exitUsage }
