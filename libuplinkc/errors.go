package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"

	"storj.io/uplink"
	"storj.io/uplink/edge"
)

// Codes of UplinkError.code (uplink_definitions.h), kept in Go so tests can use them without cgo.
const (
	codeEOF                    = -1
	codeInternal               = 0x02
	codeCanceled               = 0x03
	codeInvalidHandle          = 0x04
	codeTooManyRequests        = 0x05
	codeBandwidthLimitExceeded = 0x06
	codeStorageLimitExceeded   = 0x07
	codeSegmentsLimitExceeded  = 0x08
	codePermissionDenied       = 0x09
	codeBucketNameInvalid      = 0x10
	codeBucketAlreadyExists    = 0x11
	codeBucketNotEmpty         = 0x12
	codeBucketNotFound         = 0x13
	codeObjectKeyInvalid       = 0x20
	codeObjectNotFound         = 0x21
	codeUploadDone             = 0x22
	codeEdgeAuthDialFailed     = 0x30
	codeEdgeRegisterFailed     = 0x31
)

// errInvalidHandle marks a handle that is not in the table or holds another kind of value.
var errInvalidHandle = errors.New("invalid handle")

// errNull is wrapped by errors about a NULL argument that must not be NULL (code INTERNAL, as upstream).
var errNull = errors.New("NULL argument")

// errorCodes is checked in order: the first sentinel the error wraps gives the code.
var errorCodes = []struct {
	target error
	code   int
}{
	{context.Canceled, codeCanceled},
	{errInvalidHandle, codeInvalidHandle},
	{uplink.ErrTooManyRequests, codeTooManyRequests},
	{uplink.ErrBandwidthLimitExceeded, codeBandwidthLimitExceeded},
	{uplink.ErrStorageLimitExceeded, codeStorageLimitExceeded},
	{uplink.ErrSegmentsLimitExceeded, codeSegmentsLimitExceeded},
	{uplink.ErrPermissionDenied, codePermissionDenied},
	{uplink.ErrBucketNameInvalid, codeBucketNameInvalid},
	{uplink.ErrBucketAlreadyExists, codeBucketAlreadyExists},
	{uplink.ErrBucketNotEmpty, codeBucketNotEmpty},
	{uplink.ErrBucketNotFound, codeBucketNotFound},
	{uplink.ErrObjectKeyInvalid, codeObjectKeyInvalid},
	{uplink.ErrObjectNotFound, codeObjectNotFound},
	{uplink.ErrUploadDone, codeUploadDone},
	{edge.ErrAuthDialFailed, codeEdgeAuthDialFailed},
	{edge.ErrRegisterAccessFailed, codeEdgeRegisterFailed},
}

// errorCode is the C code for err; io.EOF (the end of a read) is checked first.
func errorCode(err error) int {
	if errors.Is(err, io.EOF) {
		return codeEOF
	}
	for _, entry := range errorCodes {
		if errors.Is(err, entry.target) {
			return entry.code
		}
	}
	return codeInternal
}

// errorMessage is err on one line: Python users read it as str(exception), so no newlines
// and no stack frames (Error() of zeebo/errs never includes frames; only %+v does).
func errorMessage(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// newError is the one place a Go error becomes a malloc'ed UplinkError (nil for nil).
// EOF carries no message, as upstream.
func newError(err error) *C.UplinkError {
	if err == nil {
		return nil
	}
	cerr := (*C.UplinkError)(C.calloc(1, C.sizeof_UplinkError))
	cerr.code = C.int32_t(errorCode(err))
	if cerr.code != codeEOF {
		cerr.message = C.CString(errorMessage(err))
	}
	return cerr
}

//export uplink_free_error
func uplink_free_error(err *C.UplinkError) {
	if err == nil {
		return
	}
	C.free(unsafe.Pointer(err.message))
	C.free(unsafe.Pointer(err))
}

// errorNull is the error for a NULL argument named name.
func errorNull(name string) error {
	return fmt.Errorf("%w: %s", errNull, name)
}

// firstError is the first non-nil error of errs.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
