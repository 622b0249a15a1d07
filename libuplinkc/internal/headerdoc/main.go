// Command headerdoc writes the doc comment of every //export function of a cgo package into the
// header that `go build -buildmode=c-shared` generated, above the function's prototype, so the
// header documents the C API. cgo itself stopped copying doc comments into the header
// (https://go.dev/issue/76697). It fails when an exported function has no doc comment.
//
// Usage: go run ./internal/headerdoc -package . -header libuplinkc.h
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"libuplinkc/internal/exportdoc"
)

func main() {
	dir := flag.String("package", ".", "folder of the cgo package")
	header := flag.String("header", "", "the generated header, rewritten in place")
	flag.Parse()
	if err := run(*dir, *header); err != nil {
		fmt.Fprintln(os.Stderr, "headerdoc:", err)
		os.Exit(1)
	}
}

// prototype matches a function declaration line of a cgo header and captures the function's name.
var prototype = regexp.MustCompile(`^extern .*\b(\w+)\(.*\);$`)

func run(dir, header string) error {
	docs, err := exportdoc.Read(dir)
	if err != nil {
		return err
	}
	var undocumented []string
	for name, doc := range docs {
		if doc == "" {
			undocumented = append(undocumented, name)
		}
	}
	if len(undocumented) > 0 {
		sort.Strings(undocumented)
		return fmt.Errorf("exported functions without a doc comment (// name ... above //export): %s",
			strings.Join(undocumented, ", "))
	}
	text, err := os.ReadFile(header)
	if err != nil {
		return fmt.Errorf("reading the header: %w", err)
	}
	documented, err := insert(text, docs)
	if err != nil {
		return fmt.Errorf("%s: %w", header, err)
	}
	return os.WriteFile(header, documented, 0o644)
}

// insert puts each prototype's doc comment, as // lines, above it; every exported function must
// have its prototype in the header, and every prototype its doc.
func insert(header []byte, docs map[string]string) ([]byte, error) {
	var out bytes.Buffer
	seen := map[string]bool{}
	exports := false // cgo's own helpers come first; the exports follow its prologue
	for _, line := range strings.SplitAfter(string(header), "\n") {
		if strings.HasPrefix(line, "/* End of boilerplate cgo prologue.") {
			exports = true
		}
		if match := prototype.FindStringSubmatch(strings.TrimRight(line, "\n")); exports && match != nil {
			name := match[1]
			doc, ok := docs[name]
			if !ok {
				return nil, fmt.Errorf("prototype of %s, which no //export of the package declares", name)
			}
			seen[name] = true
			out.WriteString("\n")
			for _, docLine := range strings.Split(strings.TrimRight(doc, "\n"), "\n") {
				out.WriteString(strings.TrimRight("// "+docLine, " ") + "\n")
			}
		}
		out.WriteString(line)
	}
	for name := range docs {
		if !seen[name] {
			return nil, fmt.Errorf("no prototype of the exported function %s", name)
		}
	}
	return out.Bytes(), nil
}
