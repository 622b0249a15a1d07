package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"unsafe"

	"storj.io/uplink"
)

// upload is the value behind an UplinkUpload handle; freed before commit, it is aborted.
type upload = locked[*uplink.Upload]

func uploadOptions(options *C.UplinkUploadOptions) *uplink.UploadOptions {
	if options == nil {
		return nil
	}
	return &uplink.UploadOptions{Expires: timeOf(options.expires)}
}

// uplink_upload_object starts an upload of one object to bucket_name/object_key; nothing is
// visible until uplink_upload_commit.
//
//export uplink_upload_object
func uplink_upload_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkUploadOptions) C.UplinkUploadResult {
	bucket, key, err := objectNames(bucketName, objectKey)
	if err != nil {
		return C.UplinkUploadResult{error: newError(err)}
	}
	opts := uploadOptions(options)
	handle, err := startChild(project, func(ctx context.Context, p *uplink.Project) (*uplink.Upload, error) {
		return p.UploadObject(ctx, bucket, key, opts)
	}, (*uplink.Upload).Abort)
	return C.UplinkUploadResult{upload: (*C.UplinkUpload)(handle), error: newError(err)}
}

// directWriteMax is the largest write made on the caller's goroutine: a write that small parks at most
// once waiting for the encoder, so the hop of runDetached (a goroutine plus a wake-up of the C thread)
// would cost as much as it saves.
const directWriteMax = 4 << 10

// writeHop is how a write of length bytes from C runs: on a fresh goroutine (see runDetached), or
// directly when it is small (directWriteMax).
func writeHop(length C.size_t) func(func()) {
	if length <= directWriteMax {
		return runInline
	}
	return runDetached
}

// writeBuffer writes the caller's buffer through write, run through hop. The Go slice is a view of
// C memory that lives only for this call: write must not keep it, which io.Writer's contract
// already forbids.
func writeBuffer(write func([]byte) (int, error), bytes unsafe.Pointer, length C.size_t, hop func(func())) C.UplinkWriteResult {
	if length == 0 {
		return C.UplinkWriteResult{}
	}
	if bytes == nil {
		return C.UplinkWriteResult{error: newError(errorNull("bytes"))}
	}
	var n int
	var err error
	hop(func() { n, err = write(cBufferSlice(bytes, length)) })
	return C.UplinkWriteResult{bytes_written: C.size_t(n), error: newError(err)}
}

// writeResult is the result of writing the caller's buffer to the stream behind the handle p,
// run through hop (writeHop for a call from C).
func writeResult[T interface{ Write([]byte) (int, error) }, H cHandle](p *H, bytes unsafe.Pointer, length C.size_t, hop func(func())) C.UplinkWriteResult {
	var result C.UplinkWriteResult
	err := withLocked(p, func(l *locked[T]) error {
		result = writeBuffer(l.value.Write, bytes, length, hop)
		return nil
	})
	if err != nil {
		return C.UplinkWriteResult{error: newError(err)}
	}
	return result
}

// uplink_upload_write writes length bytes from the caller's buffer to the upload and returns how
// many it took.
//
//export uplink_upload_write
func uplink_upload_write(p *C.UplinkUpload, bytes unsafe.Pointer, length C.size_t) C.UplinkWriteResult {
	return writeResult[*uplink.Upload](p, bytes, length, writeHop(length))
}

// commit commits the stream behind the handle p through hop (runDetached for a call from C); once
// committed, freeing the handle no longer aborts it.
func commit[T interface{ Commit() error }, H cHandle](p *H, hop func(func())) error {
	return withLocked(p, func(l *locked[T]) (err error) {
		hop(func() { err = l.value.Commit() })
		l.done = l.done || err == nil
		return err
	})
}

// infoOf is what a transfer's Info says now, read under its handle's lock.
func infoOf[T any, V interface{ Info() *T }, H cHandle](p *H) (*T, error) {
	var info *T
	err := withLocked(p, func(l *locked[V]) error {
		info = l.value.Info()
		return nil
	})
	return info, err
}

// endResult ends the value behind the handle p now: it aborts an upload and closes a download.
func endResult[T any, H cHandle](p *H) *C.UplinkError {
	return newError(withLocked(p, func(l *locked[T]) error { return l.end() }))
}

// uplink_upload_commit finishes the upload: the object becomes visible.
//
//export uplink_upload_commit
func uplink_upload_commit(p *C.UplinkUpload) *C.UplinkError {
	return newError(commit[*uplink.Upload](p, runDetached))
}

// uplink_upload_abort abandons the upload: nothing of it stays on the network.
//
//export uplink_upload_abort
func uplink_upload_abort(p *C.UplinkUpload) *C.UplinkError {
	return endResult[*uplink.Upload](p)
}

// uplink_upload_info returns the object as the upload currently describes it (committed or not).
//
//export uplink_upload_info
func uplink_upload_info(p *C.UplinkUpload) C.UplinkObjectResult {
	return objectResult(infoOf[uplink.Object, *uplink.Upload](p))
}

// uplink_upload_set_custom_metadata sets the custom metadata the object is committed with.
//
//export uplink_upload_set_custom_metadata
func uplink_upload_set_custom_metadata(p *C.UplinkUpload, custom C.UplinkCustomMetadata) *C.UplinkError {
	metadata := customFromC(custom)
	return newError(withLocked(p, func(u *upload) error {
		return u.value.SetCustomMetadata(u.scope.ctx, metadata)
	}))
}

// uplink_free_write_result frees a write result's error.
//
//export uplink_free_write_result
func uplink_free_write_result(result C.UplinkWriteResult) {
	uplink_free_error(result.error)
}

// uplink_free_upload_result frees an upload result: its error and its upload handle (an upload
// not committed is aborted).
//
//export uplink_free_upload_result
func uplink_free_upload_result(result C.UplinkUploadResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.upload))
}
