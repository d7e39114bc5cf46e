//go:build race

package explore

// raceEnabled: the race detector slows the searches several times; the
// tests that compare whole searches keep their small cases under it (the
// explorer is single-threaded: the plain run checks the rest).
const raceEnabled = true
