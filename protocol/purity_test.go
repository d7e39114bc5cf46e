package protocol_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Protocols are pure state machines: their randomness and clock come in
// through the Env. This test keeps them so, in every non-test file under
// protocol/: no import that would let a handler use a global random
// source, run concurrently or reach the outside world, and no reading of
// the wall clock (package time may still parse a duration).
func TestProtocolsAreFreeOfClocksRandomnessAndGoroutines(t *testing.T) {
	forbidden := map[string]string{
		"math/rand":   "a global random source (use Env.Rand)",
		"crypto/rand": "a random source outside the seed (use Env.Rand)",
		"sync":        "concurrency: handlers run one at a time",
		"sync/atomic": "concurrency: handlers run one at a time",
		"os":          "the outside world",
		"net":         "the outside world",
		"runtime":     "the scheduler",
		"unsafe":      "unsafe",
	}
	clock := map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true,
		"After": true, "AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true}
	checked := 0
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if why, bad := forbidden[p]; bad {
				t.Errorf("%s imports %s: %s", path, p, why)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				t.Errorf("%s starts a goroutine: handlers run one at a time", path)
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "time" && clock[n.Sel.Name] {
					t.Errorf("%s reads the wall clock (time.%s): use Env.NowNs and timers", path, n.Sel.Name)
				}
			}
			return true
		})
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: is the walk rooted at protocol/?", checked)
	}
}
