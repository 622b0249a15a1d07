package main

// #include "uplink_definitions.h"
import "C"

import (
	"time"
	"unsafe"
)

// goString copies a C string argument; NULL reads as "".
func goString(s *C.uplink_const_char) string {
	if s == nil {
		return ""
	}
	return C.GoString((*C.char)(unsafe.Pointer(s)))
}

// required copies a C string argument that must not be NULL.
func required(s *C.uplink_const_char, name string) (string, error) {
	if s == nil {
		return "", errorNull(name)
	}
	return goString(s), nil
}

// objectNames are the bucket_name and object_key arguments of a call on one object (both
// required; the bucket's error first).
func objectNames(bucketName, objectKey *C.uplink_const_char) (bucket, key string, err error) {
	bucket, err1 := required(bucketName, "bucket_name")
	key, err2 := required(objectKey, "object_key")
	return bucket, key, firstError(err1, err2)
}

// cString is a malloc'ed NUL-terminated copy of s (freed with C.free by the matching free call).
func cString(s string) *C.char {
	return C.CString(s)
}

// cBytes is a malloc'ed copy of b with a NUL after it, so it also reads as a C string;
// the length returned excludes the NUL. Never NULL, even for empty data.
func cBytes(b []byte) (*C.char, C.size_t) {
	p := (*C.char)(C.malloc(C.size_t(len(b) + 1)))
	buf := unsafe.Slice((*byte)(unsafe.Pointer(p)), len(b)+1)
	copy(buf, b)
	buf[len(b)] = 0
	return p, C.size_t(len(b))
}

// unixSeconds is t in Unix seconds, 0 for the zero time (the C API's "unset").
func unixSeconds(t time.Time) C.int64_t {
	if t.IsZero() {
		return 0
	}
	return C.int64_t(t.Unix())
}

// timeOf is the inverse of unixSeconds.
func timeOf(seconds C.int64_t) time.Time {
	if seconds == 0 {
		return time.Time{}
	}
	return time.Unix(int64(seconds), 0)
}

// cBufferSlice views length bytes of C memory at p as a Go slice for the duration of one call:
// no copy, and the slice must not outlive the call (the C caller owns the buffer).
func cBufferSlice(p unsafe.Pointer, length C.size_t) []byte {
	if p == nil || length == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(p), int(length))
}
