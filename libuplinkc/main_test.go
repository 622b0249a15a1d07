package main

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestGCPercentIs200UnlessGOGCIsSet(t *testing.T) {
	current := debug.SetGCPercent(100)
	debug.SetGCPercent(current)
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: the library leaves the user's choice alone")
	}
	if current != 200 {
		t.Fatalf("GC percent at load = %d, want 200", current)
	}
}

func TestRunDetachedRunsOnceAndWaits(t *testing.T) {
	calls := 0
	runDetached(func() { calls++ })
	if calls != 1 {
		t.Fatalf("calls = %d", calls)
	}
}
