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

// The codes of UplinkError.code, taken from the header's #defines so that the header stays their one
// definition (EOF is stdio's, the end of a read). Go constants, so the tests can use them too.
const (
	codeEOF                    = C.EOF
	codeInternal               = C.UPLINK_ERROR_INTERNAL
	codeCanceled               = C.UPLINK_ERROR_CANCELED
	codeInvalidHandle          = C.UPLINK_ERROR_INVALID_HANDLE
	codeTooManyRequests        = C.UPLINK_ERROR_TOO_MANY_REQUESTS
	codeBandwidthLimitExceeded = C.UPLINK_ERROR_BANDWIDTH_LIMIT_EXCEEDED
	codeStorageLimitExceeded   = C.UPLINK_ERROR_STORAGE_LIMIT_EXCEEDED
	codeSegmentsLimitExceeded  = C.UPLINK_ERROR_SEGMENTS_LIMIT_EXCEEDED
	codePermissionDenied       = C.UPLINK_ERROR_PERMISSION_DENIED
	codeBucketNameInvalid      = C.UPLINK_ERROR_BUCKET_NAME_INVALID
	codeBucketAlreadyExists    = C.UPLINK_ERROR_BUCKET_ALREADY_EXISTS
	codeBucketNotEmpty         = C.UPLINK_ERROR_BUCKET_NOT_EMPTY
	codeBucketNotFound         = C.UPLINK_ERROR_BUCKET_NOT_FOUND
	codeObjectKeyInvalid       = C.UPLINK_ERROR_OBJECT_KEY_INVALID
	codeObjectNotFound         = C.UPLINK_ERROR_OBJECT_NOT_FOUND
	codeUploadDone             = C.UPLINK_ERROR_UPLOAD_DONE
	codeEdgeAuthDialFailed     = C.EDGE_ERROR_AUTH_DIAL_FAILED
	codeEdgeRegisterFailed     = C.EDGE_ERROR_REGISTER_ACCESS_FAILED
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

// uplink_free_error frees an error the library returned, its message included; NULL is fine.
//
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
