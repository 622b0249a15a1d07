// Package main is libuplinkc: the C API of uplink-c v1.14 (same names, signatures, struct layouts
// and error codes) over storj.io/uplink, built with -buildmode=c-shared.
package main

// #include "uplink_definitions.h"
import "C"

import (
	"os"
	"runtime/debug"
)

// A C host keeps almost nothing on the Go heap (data buffers are C memory), so the default GC
// target makes storj.io/uplink's short-lived allocations trigger 10-40x as many collections as
// in a Go program (performance-notes.md). An explicit GOGC from the user wins.
func init() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(200)
	}
}

// main is required by -buildmode=c-shared and never runs.
func main() {}
