package main

// #include <stdlib.h>
import "C"

// version is the uplink_python release this library was built for (1.14.0.N: the uplink-c version it
// implements plus the binding's release number). build_libuplink.sh sets it from uplink_python/__init__.py
// with -ldflags "-X main.version=..."; a plain `go build` reports "dev".
var version = "dev"

// versionC is allocated once, when the library loads, and never freed: callers get a constant string.
var versionC = C.CString(version)

// libuplinkc_version returns the version of this build of libuplinkc as a NUL-terminated string that
// the caller must not free. It is not part of uplink-c's C API (hence no uplink_ prefix); upstream
// uplink-c libraries do not have it.
//
//export libuplinkc_version
func libuplinkc_version() *C.char {
	return versionC
}
