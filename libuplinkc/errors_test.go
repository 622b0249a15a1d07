package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unsafe"

	"github.com/zeebo/errs"

	"storj.io/uplink"
	"storj.io/uplink/edge"
)

func TestErrorCodeFollowsWrappedSentinels(t *testing.T) {
	class := errs.Class("uplink") // how storj.io/uplink wraps its errors
	cases := []struct {
		err  error
		code int
	}{
		{io.EOF, codeEOF},
		{fmt.Errorf("read: %w", io.EOF), codeEOF},
		{context.Canceled, codeCanceled},
		{class.Wrap(context.Canceled), codeCanceled},
		{errProjectClosed, codeCanceled},
		{fmt.Errorf("%w: UplinkAccess", errInvalidHandle), codeInvalidHandle},
		{class.Wrap(uplink.ErrTooManyRequests), codeTooManyRequests},
		{class.Wrap(uplink.ErrBandwidthLimitExceeded), codeBandwidthLimitExceeded},
		{class.Wrap(uplink.ErrStorageLimitExceeded), codeStorageLimitExceeded},
		{class.Wrap(uplink.ErrSegmentsLimitExceeded), codeSegmentsLimitExceeded},
		{class.Wrap(uplink.ErrPermissionDenied), codePermissionDenied},
		{fmt.Errorf("%w (%q)", uplink.ErrBucketNameInvalid, "B"), codeBucketNameInvalid},
		{errs.Combine(fmt.Errorf("%w", uplink.ErrBucketAlreadyExists), errors.New("other")), codeBucketAlreadyExists},
		{class.Wrap(uplink.ErrBucketNotEmpty), codeBucketNotEmpty},
		{class.Wrap(uplink.ErrBucketNotFound), codeBucketNotFound},
		{class.Wrap(uplink.ErrObjectKeyInvalid), codeObjectKeyInvalid},
		{class.Wrap(uplink.ErrObjectNotFound), codeObjectNotFound},
		{class.Wrap(uplink.ErrUploadDone), codeUploadDone},
		{fmt.Errorf("edge: %w", edge.ErrAuthDialFailed), codeEdgeAuthDialFailed},
		{fmt.Errorf("edge: %w", edge.ErrRegisterAccessFailed), codeEdgeRegisterFailed},
		{errorNull("bucket_name"), codeInternal},
		{class.Wrap(uplink.ErrUploadIDInvalid), codeInternal},
		{errors.New("something else"), codeInternal},
	}
	for _, c := range cases {
		if got := errorCode(c.err); got != c.code {
			t.Errorf("errorCode(%q) = %#x, want %#x", c.err, got, c.code)
		}
	}
}

func TestErrorMessageIsOneLineWithoutStackFrames(t *testing.T) {
	err := errs.Combine(errs.New("first\nline"), errs.Wrap(errors.New("second\tpart")))
	if full := fmt.Sprintf("%+v", err); !strings.Contains(full, "tRunner") {
		t.Fatalf("expected %%+v to carry stack frames, got %q", full)
	}
	message := errorMessage(err)
	if strings.ContainsAny(message, "\n\r\t") || strings.Contains(message, "tRunner") {
		t.Fatalf("message is not one clean line: %q", message)
	}
	if !strings.Contains(message, "first line") || !strings.Contains(message, "second part") {
		t.Fatalf("message lost text: %q", message)
	}
}

func TestNewErrorMallocsCodeAndMessage(t *testing.T) {
	if newError(nil) != nil {
		t.Fatal("nil error must give NULL")
	}
	cerr := newError(uplink.ErrObjectNotFound)
	if cerr.code != codeObjectNotFound || cerr.message == nil {
		t.Fatalf("got code %d message %v", cerr.code, cerr.message)
	}
	uplink_free_error(cerr)
	eof := newError(io.EOF)
	if eof.code != codeEOF || eof.message != nil {
		t.Fatalf("EOF: got code %d message %v", eof.code, eof.message)
	}
	uplink_free_error(eof)
	uplink_free_error(nil)
}

// goMessage is the message of a C error (test helper: test files cannot use cgo themselves).
func goMessage(err *_Ctype_UplinkError) string {
	return goString((*_Ctype_uplink_const_char)(unsafe.Pointer(err.message)))
}
