package mutate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	_ "github.com/casimlab/casim/protocol/all"
)

const sample = `package p

const limit = 3

func init() { register(1) }

func register(int) {}

func f(a, b int, ok bool) int {
	if a < b && !ok {
		return 0
	}
	g()
	if a == 2 {
		return limit
	}
	return 1
}

func g() {
	if true {
		return
	}
}
`

// Every operator makes its mutants at the right places; init (the
// registry) and package-level constants make none; each mutant applies
// to exactly its text.
func TestMutants(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "p"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p", "p.go"), []byte(sample), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p", "p_test.go"), []byte("package p\nfunc x() { if 1 < 2 {} }\n"), 0o644))
	ms, err := Mutants(dir, "p")
	require.NoError(t, err)
	var got []string
	for _, m := range ms {
		got = append(got, m.Operator+" "+m.Change)
		out, err := m.Apply([]byte(sample))
		require.NoError(t, err)
		require.NotEqual(t, sample, string(out))
	}
	require.Equal(t, []string{
		"flip-comparison < → >=", "flip-boolean && → ||", "drop-negation !x → x",
		"constant 0 → 1", "drop-call remove g()", "flip-comparison == → !=", "constant 2 → 3",
		"constant 1 → 0", "drop-return remove return",
	}, got)
	_, err = ms[0].Apply([]byte(sample + "\n"))
	require.Error(t, err, "a mutant refuses a source it was not made from")
}

// Without the source tree or the toolchain, a run says so and does not
// start.
func TestRunNeedsSourceAndToolchain(t *testing.T) {
	_, err := FindRoot(t.TempDir())
	require.ErrorIs(t, err, ErrNoSource)

	_, err = Run(context.Background(), Options{Root: t.TempDir(), Protocol: "paxos", Seeds: 1})
	require.ErrorIs(t, err, ErrNoSource)

	t.Setenv("PATH", t.TempDir())
	_, err = Run(context.Background(), Options{Root: ".", Protocol: "paxos", Seeds: 1})
	require.True(t, errors.Is(err, ErrNoToolchain), "%v", err)
}

// The package of every entry is found from its factory.
func TestPackageDir(t *testing.T) {
	for name, want := range map[string]string{"paxos": "protocol/paxos", "paxos2": "protocol/paxos",
		"caspaxos/minority-quorum": "protocol/caspaxos", "lww": "protocol/lww", "abd": "protocol/abd", "pb": "protocol/pb"} {
		got, err := PackageDir(name)
		require.NoError(t, err)
		require.Equal(t, filepath.FromSlash(want), got, name)
	}
	_, err := PackageDir("nope")
	require.Error(t, err)
}

// The generated sweep program builds against the module as it is (a
// change of package sweep's API once broke it unnoticed).
func TestRunnerBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the module and builds")
	}
	root, err := FindRoot(".")
	require.NoError(t, err)
	dir, err := copyModule(root)
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	_, err = baseline(context.Background(), dir, Options{protocols: "paxos", Seeds: 2})
	require.NoError(t, err)
}
