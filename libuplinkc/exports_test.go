package main

import (
	"strings"
	"testing"

	"libuplinkc/internal/exportdoc"
)

// Every export carries a doc comment that starts with its name, which build_libuplink.sh copies
// into the generated header: the header documents the C API.
func TestEveryExportHasADocComment(t *testing.T) {
	docs, err := exportdoc.Read(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 86 {
		t.Fatalf("found %d exports, want at least uplink-c's 85 and libuplinkc_version", len(docs))
	}
	for name, doc := range docs {
		if !strings.HasPrefix(doc, name+" ") {
			t.Errorf("%s: the doc comment above //export must start with %q, got %q", name, name+" ", doc)
		}
	}
}
