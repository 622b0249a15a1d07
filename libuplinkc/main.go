// Package main is libuplinkc: the C API of uplink-c v1.14 (same names, signatures, struct layouts
// and error codes) over storj.io/uplink, built with -buildmode=c-shared.
package main

// #include "uplink_definitions.h"
import "C"

import "os"

// ballastSize is how far gcBallast raises the garbage collector's heap target.
const ballastSize = 32 << 20

// gcBallast is a never-touched allocation that only raises the GC's heap target.
//
// A C host keeps almost nothing on the Go heap (data buffers are C memory), so the default target
// makes storj.io/uplink's short-lived allocations trigger many times as many collections as in a
// Go program. A higher GC percent fixed the collections but raised the peak memory of large
// uploads well above Go's; a ballast at the default percent gave faster downloads and lower peaks
// (benchmarks/). Its pages are never written, so the kernel never backs them: it costs address
// space, not resident memory.
// An explicit GOGC from the user wins.
var gcBallast []byte

func init() {
	if _, set := os.LookupEnv("GOGC"); !set {
		gcBallast = make([]byte, ballastSize)
	}
}

// main is required by -buildmode=c-shared and never runs.
func main() {}
