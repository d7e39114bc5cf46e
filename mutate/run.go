package mutate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/casimlab/casim/protocol"
)

// Options describe a mutation run.
type Options struct {
	// Root is the module's source tree (the directory holding go.mod);
	// empty: found from the working directory.
	Root string
	// Protocol names the registry entry whose package is mutated and
	// swept; for a correct protocol, every correct entry of the same
	// package is swept too (paxos with paxos2).
	Protocol string
	// Seeds is how many seeds of the default sweep (1..Seeds) each mutant
	// runs; the sweep stops at the first failing seed.
	Seeds int
	// Workers is how many mutants build and sweep at once, each in its
	// own copy of the module (default 1).
	Workers int
	// Timeout bounds one mutant's sweep (0: two minutes); a mutant that
	// runs past it (a loop that never ends) counts as killed.
	Timeout time.Duration
	// Each, if set, is called with every mutant's result, in order.
	Each func(Result)
	// At, if set, keeps only the mutants at these places, "file:line"
	// with file relative to the package (e.g. "proposer.go:152"): to
	// sweep survivors again with more seeds.
	At []string

	protocols string // swept: Protocol and the correct entries of its package
	// baseline lists, as "protocol@seed", the seeds the unmutated
	// protocols already fail (a known starvation): a mutant failing only
	// there is not killed by them.
	baseline []string
}

// Status is what became of a mutant.
type Status string

const (
	Killed      Status = "killed"       // the sweep failed it
	Survived    Status = "survived"     // the sweep passed it
	BuildFailed Status = "build-failed" // it does not compile (not counted)
)

// Result is one mutant's fate.
type Result struct {
	Mutant
	Status Status `json:"status"`
	// Detail says how it was killed (the verdict and seed) or why it did
	// not build.
	Detail string `json:"detail,omitempty"`
	WallNs int64  `json:"wall_ns"`
}

// Summary is the whole run's totals, the last line of `casim mutate
// --json`. Score is Killed / (Killed + Survived).
type Summary struct {
	Summary     bool    `json:"summary"`
	Protocol    string  `json:"protocol"`
	Package     string  `json:"package"`
	Seeds       int     `json:"seeds"`
	Mutants     int     `json:"mutants"`
	Killed      int     `json:"killed"`
	Survived    int     `json:"survived"`
	BuildFailed int     `json:"build_failed"`
	Score       float64 `json:"score"`
	WallNs      int64   `json:"wall_ns"`
	// Baseline lists the seeds the unmutated protocols fail already (a
	// known starvation), as "protocol@seed"; mutants are swept without
	// them.
	Baseline []string `json:"baseline"`
	// BuildNs and SweepNs split the wall time of the mutants between
	// rebuilding and sweeping.
	BuildNs int64 `json:"build_ns"`
	SweepNs int64 `json:"sweep_ns"`
}

// String is the result as one line: status, place, operator, change and
// how it was killed.
func (r Result) String() string {
	s := fmt.Sprintf("%-9s %s:%d:%d  %-16s %s", r.Status, r.File, r.Line, r.Col, r.Operator, r.Change)
	if r.Detail != "" {
		s += "  (" + r.Detail + ")"
	}
	return s
}

// String is the summary as one line.
func (s Summary) String() string {
	return fmt.Sprintf("%s (%s): %d mutants, %d killed, %d survived, %d did not build; score %.0f%% (%d seeds each), %s (build %s, sweep %s)",
		s.Protocol, s.Package, s.Mutants, s.Killed, s.Survived, s.BuildFailed, 100*s.Score, s.Seeds,
		time.Duration(s.WallNs).Round(time.Second), time.Duration(s.BuildNs).Round(time.Second),
		time.Duration(s.SweepNs).Round(time.Second))
}

// ErrNoToolchain and ErrNoSource say that a mutation run cannot start.
var (
	ErrNoToolchain = errors.New("the Go toolchain (go) is not on PATH: casim mutate rebuilds casim for every mutant")
	ErrNoSource    = errors.New("no casim source tree: run casim mutate inside it (where go.mod names github.com/casimlab/casim), or pass --src")
)

// FindRoot returns the casim module root at or above dir.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", ErrNoSource
	}
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/casimlab/casim\n")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", ErrNoSource
		}
	}
}

// PackageDir is the directory, relative to the module root, of the
// package that implements the named protocol.
func PackageDir(name string) (string, error) {
	p, err := protocol.Lookup(name)
	if err != nil {
		return "", err
	}
	fn := runtime.FuncForPC(reflect.ValueOf(p.New).Pointer()).Name()
	// e.g. github.com/casimlab/casim/protocol/paxos.factory.func1
	const mod = "github.com/casimlab/casim/"
	if !strings.HasPrefix(fn, mod) {
		return "", fmt.Errorf("protocol %s is not built from casim's own packages (%s)", name, fn)
	}
	rest := fn[len(mod):]
	slash := strings.LastIndex(rest, "/")
	dot := strings.Index(rest[slash+1:], ".")
	return filepath.FromSlash(rest[:slash+1+dot]), nil
}

// Run makes the mutants of the protocol's package and sweeps each.
func Run(ctx context.Context, o Options) (Summary, error) {
	start := time.Now()
	if _, err := protocol.Lookup(o.Protocol); err != nil {
		return Summary{}, err
	}
	if o.Seeds < 1 || o.Workers < 0 {
		return Summary{}, fmt.Errorf("seeds must be >= 1 and workers >= 1")
	}
	if _, err := exec.LookPath("go"); err != nil {
		return Summary{}, ErrNoToolchain
	}
	if o.Root == "" {
		wd, _ := os.Getwd()
		root, err := FindRoot(wd)
		if err != nil {
			return Summary{}, err
		}
		o.Root = root
	}
	if _, err := os.Stat(filepath.Join(o.Root, "go.mod")); err != nil {
		return Summary{}, ErrNoSource
	}
	dir, err := PackageDir(o.Protocol)
	if err != nil {
		return Summary{}, err
	}
	protos := []string{o.Protocol}
	if p, _ := protocol.Lookup(o.Protocol); p.Linearizable {
		// Every correct entry built from the package: paxos's package is
		// also paxos2, whose code paths paxos alone never runs.
		for _, q := range protocol.All() {
			if d, _ := PackageDir(q.Name); q.Linearizable && q.Name != o.Protocol && d == dir {
				protos = append(protos, q.Name)
			}
		}
	}
	o.protocols = strings.Join(protos, ",")
	ms, err := Mutants(o.Root, dir)
	if err != nil {
		return Summary{}, ErrNoSource
	}
	if len(o.At) > 0 {
		kept := ms[:0]
		for _, m := range ms {
			if slices.Contains(o.At, fmt.Sprintf("%s:%d", filepath.Base(m.File), m.Line)) {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	workers := max(o.Workers, 1)
	copies := make([]string, workers)
	for i := range copies {
		if copies[i], err = copyModule(o.Root); err != nil {
			return Summary{}, err
		}
		defer os.RemoveAll(copies[i])
	}
	if o.baseline, err = baseline(ctx, copies[0], o); err != nil {
		return Summary{}, err
	}
	sum := Summary{Summary: true, Protocol: o.protocols, Package: filepath.ToSlash(dir), Seeds: o.Seeds, Mutants: len(ms),
		Baseline: append([]string{}, o.baseline...)}
	results := make([]Result, len(ms))
	done := make([]bool, len(ms))
	next, reported := 0, 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(ms) || ctx.Err() != nil {
					return
				}
				r, b, s := runOne(ctx, copies[w], ms[i], o)
				mu.Lock()
				results[i], done[i] = r, true
				sum.BuildNs += b
				sum.SweepNs += s
				for reported < len(ms) && done[reported] {
					if o.Each != nil {
						o.Each(results[reported])
					}
					reported++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, r := range results[:reported] {
		switch r.Status {
		case Killed:
			sum.Killed++
		case Survived:
			sum.Survived++
		case BuildFailed:
			sum.BuildFailed++
		}
	}
	if n := sum.Killed + sum.Survived; n > 0 {
		sum.Score = float64(sum.Killed) / float64(n)
	}
	sum.WallNs = time.Since(start).Nanoseconds()
	return sum, ctx.Err()
}

// runOne applies m in the copy at dir, rebuilds, sweeps, and restores
// the file.
func runOne(ctx context.Context, dir string, m Mutant, o Options) (r Result, buildNs, sweepNs int64) {
	start := time.Now()
	r.Mutant = m
	defer func() { r.WallNs = time.Since(start).Nanoseconds() }()
	path := filepath.Join(dir, m.File)
	src, err := os.ReadFile(path)
	if err != nil {
		r.Status, r.Detail = BuildFailed, err.Error()
		return r, 0, 0
	}
	defer os.WriteFile(path, src, 0o644)
	mutated, err := m.Apply(src)
	if err == nil {
		err = os.WriteFile(path, mutated, 0o644)
	}
	if err != nil {
		r.Status, r.Detail = BuildFailed, err.Error()
		return r, 0, 0
	}
	bin := filepath.Join(dir, "mutant-sweep")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./"+runnerDir)
	build.Dir = dir
	out, err := build.CombinedOutput()
	buildNs = time.Since(start).Nanoseconds()
	if err != nil {
		r.Status, r.Detail = BuildFailed, firstLine(string(out))
		return r, buildNs, 0
	}
	sweepStart := time.Now()
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	run := exec.CommandContext(tctx, bin, o.protocols, fmt.Sprint(o.Seeds), strings.Join(o.baseline, ","))
	out, err = run.Output()
	sweepNs = time.Since(sweepStart).Nanoseconds()
	var v runnerVerdict
	switch {
	case tctx.Err() != nil && ctx.Err() == nil:
		r.Status, r.Detail = Killed, "timeout: the sweep did not finish"
	case json.Unmarshal(out, &v) != nil:
		r.Status, r.Detail = Killed, "crashed: "+firstLine(errText(err))
	case v.Verdict == "ok" || v.Verdict == "unknown":
		r.Status = Survived
	default:
		r.Status, r.Detail = Killed, v.Verdict
	}
	return r, buildNs, sweepNs
}

// baseline sweeps the unmutated protocols and lists the seeds they fail
// already, each "protocol@seed", finding one per sweep.
func baseline(ctx context.Context, dir string, o Options) ([]string, error) {
	bin := filepath.Join(dir, "mutant-sweep")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./"+runnerDir)
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("the unmutated source does not build: %s", firstLine(string(out)))
	}
	var failing []string
	for len(failing) < 100 {
		out, err := exec.CommandContext(ctx, bin, o.protocols, fmt.Sprint(o.Seeds), strings.Join(failing, ",")).Output()
		var v runnerVerdict
		if err := json.Unmarshal(out, &v); err != nil {
			return nil, fmt.Errorf("the unmutated sweep: %s", firstLine(errText(err)))
		}
		if v.Seed == 0 {
			return failing, err
		}
		failing = append(failing, strings.Fields(v.Verdict)[0])
	}
	return nil, fmt.Errorf("the unmutated protocols fail 100 seeds: nothing to measure mutants against")
}

func errText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return string(ee.Stderr)
	}
	if err != nil {
		return err.Error()
	}
	return "no output"
}

// firstLine is the first line of s that is not a "# package" header.
func firstLine(s string) string {
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if !strings.HasPrefix(l, "# ") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// copyModule copies the source tree at root to a new temporary directory:
// everything but version control and large files (binaries), plus the
// mutant sweep's main package.
func copyModule(root string) (string, error) {
	dst, err := os.MkdirTemp("", "casim-mutate-")
	if err != nil {
		return "", err
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "testdata" && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || info.Size() > 1<<20 {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err == nil {
		err = os.MkdirAll(filepath.Join(dst, runnerDir), 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dst, runnerDir, "main.go"), []byte(runnerSource), 0o644)
	}
	if err != nil {
		os.RemoveAll(dst)
		return "", err
	}
	return dst, nil
}
