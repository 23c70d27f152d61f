// Package layering checks the shape issue 10 gave the services: the HTTP packages parse,
// call one feature-service method and render; the SQL, the transactions and the decisions
// live in pkg/ (pkg/domain and the feature services).
package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// httpPackages are the HTTP packages of both services, from this folder.
var httpPackages = []string{"../server", "../../../extranet/internal/portal"}

// forbidden are what only a feature service may write: queries, transactions and the bun
// types that carry them. (*bun.DB may still be handed from main to the services.)
var forbidden = []string{"RunInTx", "NewSelect", "NewInsert", "NewUpdate", "NewDelete", "NewRaw", "NewValues",
	"bun.IDB", "bun.Tx", "bun.SelectQuery", "bun.UpdateQuery", "bun.In(", "bun.Safe(", "bun.Ident(",
	"ExecContext(", "QueryContext(", "QueryRowContext("}

// sources returns the non-test Go files of dir.
func sources(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return out
}

func TestHTTPPackagesHoldNoQueries(t *testing.T) {
	for _, dir := range httpPackages {
		for _, f := range sources(t, dir) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for n, line := range strings.Split(string(b), "\n") {
				for _, word := range forbidden {
					if strings.Contains(line, word) {
						t.Errorf("%s:%d: %s belongs in a feature service (pkg/): %s", f, n+1, word, strings.TrimSpace(line))
					}
				}
			}
		}
	}
}

// The API's HTTP package stays small: its business lives in the services.
func TestAPIHTTPPackageSize(t *testing.T) {
	const limit = 3000
	total := 0
	for _, f := range sources(t, "../server") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total += strings.Count(string(b), "\n")
	}
	t.Logf("services/api/internal/server: %d lines of non-test code", total)
	if total > limit {
		t.Errorf("services/api/internal/server holds %d lines of non-test code, more than %d", total, limit)
	}
}

// No handler of either HTTP package is longer than 50 lines.
func TestHandlersAreShort(t *testing.T) {
	const limit = 50
	for _, dir := range httpPackages {
		fset := token.NewFileSet()
		for _, f := range sources(t, dir) {
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				var body *ast.BlockStmt
				var name string
				switch fn := n.(type) {
				case *ast.FuncDecl:
					body, name = fn.Body, fn.Name.Name
				case *ast.FuncLit:
					body, name = fn.Body, "a function literal"
				}
				if body == nil || !takesCtx(n) {
					return true
				}
				lines := fset.Position(body.End()).Line - fset.Position(body.Pos()).Line + 1
				if lines > limit {
					t.Errorf("%s: %s is %d lines long (at most %d)", fset.Position(n.Pos()), name, lines, limit)
				}
				return true
			})
		}
	}
}

// takesCtx reports whether a function is a handler: it takes a *fiber.Ctx.
func takesCtx(n ast.Node) bool {
	var params *ast.FieldList
	switch fn := n.(type) {
	case *ast.FuncDecl:
		params = fn.Type.Params
	case *ast.FuncLit:
		params = fn.Type.Params
	}
	for _, p := range params.List {
		if star, ok := p.Type.(*ast.StarExpr); ok {
			if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Ctx" {
				return true
			}
		}
	}
	return false
}
