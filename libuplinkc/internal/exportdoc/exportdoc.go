// Package exportdoc reads the doc comments of the //export functions of a cgo package: the text
// above the //export directive, which is what a C programmer should read in the header.
package exportdoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Read returns, for every function of the package in dir that has an //export directive, its doc
// comment without the directive ("" when there is none). Test files are not read.
func Read(dir string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		source, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		file, err := parser.ParseFile(fset, path, source, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", path, err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Doc == nil {
				continue
			}
			if name, ok := exported(fn.Doc); ok {
				if name != fn.Name.Name {
					return nil, fmt.Errorf("%s: //export %s above func %s", path, name, fn.Name.Name)
				}
				// Text drops directives (//export) and the blank comment line before them.
				docs[name] = fn.Doc.Text()
			}
		}
	}
	return docs, nil
}

// exported is the name of the //export directive in doc, if any.
func exported(doc *ast.CommentGroup) (string, bool) {
	for _, comment := range doc.List {
		if name, ok := strings.CutPrefix(comment.Text, "//export "); ok {
			return strings.TrimSpace(name), true
		}
	}
	return "", false
}
