package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"sync"
	"unsafe"

	"storj.io/uplink"
)

// upload is the value behind an UplinkUpload handle; mu serializes calls on it.
type upload struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	upload *uplink.Upload
}

func getUpload(p *C.UplinkUpload) (*upload, error) {
	if p == nil {
		return nil, errorNull("upload")
	}
	return lookup[*upload](universe, handleOf(unsafe.Pointer(p)), "UplinkUpload")
}

// withUpload runs fn on the upload of handle p, alone.
func withUpload(p *C.UplinkUpload, fn func(u *upload) error) error {
	u, err := getUpload(p)
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return fn(u)
}

// release aborts an upload freed before commit (Abort after Commit only says "upload done").
func (u *upload) release() {
	u.mu.Lock()
	defer u.mu.Unlock()
	_ = u.upload.Abort()
	u.cancel()
}

func uploadOptions(options *C.UplinkUploadOptions) *uplink.UploadOptions {
	if options == nil {
		return nil
	}
	return &uplink.UploadOptions{Expires: timeOf(options.expires)}
}

//export uplink_upload_object
func uplink_upload_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkUploadOptions) C.UplinkUploadResult {
	bucket, err1 := required(bucketName, "bucket_name")
	key, err2 := required(objectKey, "object_key")
	if err := firstError(err1, err2); err != nil {
		return C.UplinkUploadResult{error: newError(err)}
	}
	opts := uploadOptions(options)
	var value *upload
	err := withProject(project, func(ctx context.Context, p *uplink.Project) error {
		ctx, cancel := context.WithCancel(ctx)
		started, err := p.UploadObject(ctx, bucket, key, opts)
		if err != nil {
			cancel()
			return err
		}
		value = &upload{ctx: ctx, cancel: cancel, upload: started}
		return nil
	})
	if err != nil {
		return C.UplinkUploadResult{error: newError(err)}
	}
	return C.UplinkUploadResult{upload: (*C.UplinkUpload)(newHandle(value))}
}

// writeResult writes the caller's buffer through w on a fresh goroutine (see runDetached).
// The Go slice is a view of C memory that lives only for this call: w must not keep it, which
// io.Writer's contract already forbids.
func writeResult(write func([]byte) (int, error), bytes unsafe.Pointer, length C.size_t) C.UplinkWriteResult {
	if length == 0 {
		return C.UplinkWriteResult{}
	}
	if bytes == nil {
		return C.UplinkWriteResult{error: newError(errorNull("bytes"))}
	}
	var n int
	var err error
	runDetached(func() { n, err = write(cBufferSlice(bytes, length)) })
	return C.UplinkWriteResult{bytes_written: C.size_t(n), error: newError(err)}
}

//export uplink_upload_write
func uplink_upload_write(p *C.UplinkUpload, bytes unsafe.Pointer, length C.size_t) C.UplinkWriteResult {
	u, err := getUpload(p)
	if err != nil {
		return C.UplinkWriteResult{error: newError(err)}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return writeResult(u.upload.Write, bytes, length)
}

//export uplink_upload_commit
func uplink_upload_commit(p *C.UplinkUpload) *C.UplinkError {
	return newError(withUpload(p, func(u *upload) (err error) {
		runDetached(func() { err = u.upload.Commit() })
		return err
	}))
}

//export uplink_upload_abort
func uplink_upload_abort(p *C.UplinkUpload) *C.UplinkError {
	return newError(withUpload(p, func(u *upload) error { return u.upload.Abort() }))
}

//export uplink_upload_info
func uplink_upload_info(p *C.UplinkUpload) C.UplinkObjectResult {
	var object *uplink.Object
	err := withUpload(p, func(u *upload) error {
		object = u.upload.Info()
		return nil
	})
	return objectResult(object, err)
}

//export uplink_upload_set_custom_metadata
func uplink_upload_set_custom_metadata(p *C.UplinkUpload, custom C.UplinkCustomMetadata) *C.UplinkError {
	metadata := customFromC(custom)
	return newError(withUpload(p, func(u *upload) error {
		return u.upload.SetCustomMetadata(u.ctx, metadata)
	}))
}

//export uplink_free_write_result
func uplink_free_write_result(result C.UplinkWriteResult) {
	uplink_free_error(result.error)
}

//export uplink_free_upload_result
func uplink_free_upload_result(result C.UplinkUploadResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.upload))
}
