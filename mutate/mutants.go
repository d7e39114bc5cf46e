// Package mutate measures how much of a protocol the default sweep checks:
// it makes single-point mutants of the protocol's own package (a flipped
// comparison or boolean operator, a removed negation, call or return, a
// changed constant), rebuilds casim with each in a copy of the module, and
// sweeps it. A mutant the sweep fails (a violation, a stuck or unavailable
// run) is killed; one it passes survived. Survivors are for a person to
// judge: some are equivalent (the change cannot alter behaviour, or only
// speed), the others are mechanisms no seed exercises.
//
// This is `casim mutate`, for callers in Go.
package mutate

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Mutant is one single-point change of one file.
type Mutant struct {
	// File is the file's path relative to the module root; Line and Col
	// where the change is.
	File      string `json:"file"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	Operator  string `json:"operator"` // flip-comparison, flip-boolean, drop-negation, drop-call, drop-return, constant
	Change    string `json:"change"`   // what, e.g. "< → >="
	off, end  int    // byte range of the original text
	with      string // what replaces it
	original  string
	sourceLen int
}

// Apply returns src with m applied.
func (m Mutant) Apply(src []byte) ([]byte, error) {
	if len(src) != m.sourceLen || string(src[m.off:m.end]) != m.original {
		return nil, fmt.Errorf("%s:%d: source changed since the mutants were made", m.File, m.Line)
	}
	out := append(append(append([]byte(nil), src[:m.off]...), m.with...), src[m.end:]...)
	return out, nil
}

// flips are the comparison and boolean operators' mutants.
var flips = map[token.Token]token.Token{
	token.LSS: token.GEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR,
	token.EQL: token.NEQ, token.NEQ: token.EQL, token.LAND: token.LOR, token.LOR: token.LAND,
}

// Mutants lists the mutants of the non-test Go files of the package in
// dir (relative to root), in file and position order.
func Mutants(root, dir string) ([]Mutant, error) {
	entries, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		return nil, err
	}
	var all []Mutant
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		rel := filepath.Join(dir, name)
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return nil, err
		}
		ms, err := fileMutants(rel, src)
		if err != nil {
			return nil, err
		}
		all = append(all, ms...)
	}
	return all, nil
}

func fileMutants(rel string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var ms []Mutant
	add := func(pos token.Pos, endPos token.Pos, op, change, with string) {
		p := fset.Position(pos)
		off, end := p.Offset, fset.Position(endPos).Offset
		ms = append(ms, Mutant{File: rel, Line: p.Line, Col: p.Column, Operator: op, Change: change,
			off: off, end: end, with: with, original: string(src[off:end]), sourceLen: len(src)})
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || fn.Name.Name == "init" && fn.Recv == nil {
			// Constants and types: a changed constant is one in code.
			// init registers the protocol and its variants: removing a
			// variant changes nothing the protocol does.
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if to, ok := flips[n.Op]; ok {
					op := "flip-comparison"
					if n.Op == token.LAND || n.Op == token.LOR {
						op = "flip-boolean"
					}
					add(n.OpPos, n.OpPos+token.Pos(len(n.Op.String())), op, n.Op.String()+" → "+to.String(), to.String())
				}
			case *ast.UnaryExpr:
				if n.Op == token.NOT {
					add(n.OpPos, n.OpPos+1, "drop-negation", "!x → x", "")
				}
			case *ast.ExprStmt:
				if _, ok := n.X.(*ast.CallExpr); ok {
					add(n.Pos(), n.End(), "drop-call", "remove "+shorten(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset]), "")
				}
			case *ast.ReturnStmt:
				if len(n.Results) == 0 {
					add(n.Pos(), n.End(), "drop-return", "remove return", "")
				}
			case *ast.BasicLit:
				if n.Kind == token.INT {
					if v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
						to := strconv.FormatInt(v+1, 10)
						if v == 1 {
							to = "0"
						}
						add(n.Pos(), n.End(), "constant", n.Value+" → "+to, to)
					}
				}
			}
			return true
		})
	}
	slices.SortStableFunc(ms, func(a, b Mutant) int { return a.off - b.off })
	return ms, nil
}

// shorten renders a statement on one line, cut to 40 characters.
func shorten(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
