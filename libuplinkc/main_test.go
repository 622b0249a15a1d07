package main

import (
	"os"
	"testing"
)

func TestBallastUnlessGOGCIsSet(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		if gcBallast != nil {
			t.Fatal("GOGC is set, yet the library added a GC ballast")
		}
		return
	}
	if len(gcBallast) != ballastSize {
		t.Fatalf("GC ballast = %d bytes, want %d", len(gcBallast), ballastSize)
	}
}

func TestRunDetachedRunsOnceAndWaits(t *testing.T) {
	calls := 0
	runDetached(func() { calls++ })
	if calls != 1 {
		t.Fatalf("calls = %d", calls)
	}
}
