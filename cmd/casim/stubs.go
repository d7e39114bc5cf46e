package main

import "io"

// Placeholder until check.go lands.
func cmdCheck(args []string, stdout, stderr io.Writer) int { return exitUsage }
