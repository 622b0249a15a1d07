package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"sync"
	"unsafe"

	"storj.io/uplink"
)

func uploadInfoToC(info *uplink.UploadInfo) *C.UplinkUploadInfo {
	if info == nil {
		return nil
	}
	c := (*C.UplinkUploadInfo)(C.calloc(1, C.sizeof_UplinkUploadInfo))
	c.upload_id = cString(info.UploadID)
	c.key = cString(info.Key)
	c.is_prefix = C.bool(info.IsPrefix)
	c.system = systemToC(info.System)
	c.custom = customToC(info.Custom)
	return c
}

func partToC(part *uplink.Part) *C.UplinkPart {
	if part == nil {
		return nil
	}
	c := (*C.UplinkPart)(C.calloc(1, C.sizeof_UplinkPart))
	c.part_number = C.uint32_t(part.PartNumber)
	c.size = C.size_t(part.Size)
	c.modified = unixSeconds(part.Modified)
	c.etag, c.etag_length = cBytes(part.ETag)
	return c
}

//export uplink_begin_upload
func uplink_begin_upload(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkUploadOptions) C.UplinkUploadInfoResult {
	bucket, err1 := required(bucketName, "bucket_name")
	key, err2 := required(objectKey, "object_key")
	if err := firstError(err1, err2); err != nil {
		return C.UplinkUploadInfoResult{error: newError(err)}
	}
	opts := uploadOptions(options)
	var info uplink.UploadInfo
	err := withProject(project, func(ctx context.Context, p *uplink.Project) (err error) {
		info, err = p.BeginUpload(ctx, bucket, key, opts)
		return err
	})
	if err != nil {
		return C.UplinkUploadInfoResult{error: newError(err)}
	}
	return C.UplinkUploadInfoResult{info: uploadInfoToC(&info)}
}

// multipartNames reads bucket, key and upload ID, none of which may be NULL.
func multipartNames(bucketName, objectKey, uploadID *C.uplink_const_char) (bucket, key, id string, err error) {
	bucket, err1 := required(bucketName, "bucket_name")
	key, err2 := required(objectKey, "object_key")
	id, err3 := required(uploadID, "upload_id")
	return bucket, key, id, firstError(err1, err2, err3)
}

//export uplink_commit_upload
func uplink_commit_upload(project *C.UplinkProject, bucketName, objectKey, uploadID *C.uplink_const_char, options *C.UplinkCommitUploadOptions) C.UplinkCommitUploadResult {
	bucket, key, id, err := multipartNames(bucketName, objectKey, uploadID)
	if err != nil {
		return C.UplinkCommitUploadResult{error: newError(err)}
	}
	opts := &uplink.CommitUploadOptions{}
	if options != nil {
		opts.CustomMetadata = customFromC(options.custom_metadata)
	}
	var object *uplink.Object
	err = withProject(project, func(ctx context.Context, p *uplink.Project) (err error) {
		object, err = p.CommitUpload(ctx, bucket, key, id, opts)
		return err
	})
	return C.UplinkCommitUploadResult{object: objectToC(object), error: newError(err)}
}

//export uplink_abort_upload
func uplink_abort_upload(project *C.UplinkProject, bucketName, objectKey, uploadID *C.uplink_const_char) *C.UplinkError {
	bucket, key, id, err := multipartNames(bucketName, objectKey, uploadID)
	if err != nil {
		return newError(err)
	}
	return newError(withProject(project, func(ctx context.Context, p *uplink.Project) error {
		return p.AbortUpload(ctx, bucket, key, id)
	}))
}

// partUpload is the value behind an UplinkPartUpload handle; mu serializes calls on it.
type partUpload struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	upload *uplink.PartUpload
}

func getPartUpload(p *C.UplinkPartUpload) (*partUpload, error) {
	if p == nil {
		return nil, errorNull("upload")
	}
	return lookup[*partUpload](universe, handleOf(unsafe.Pointer(p)), "UplinkPartUpload")
}

func withPartUpload(p *C.UplinkPartUpload, fn func(u *partUpload) error) error {
	u, err := getPartUpload(p)
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return fn(u)
}

// release aborts a part upload freed before commit (after commit Abort only says "upload done").
func (u *partUpload) release() {
	u.mu.Lock()
	defer u.mu.Unlock()
	_ = u.upload.Abort()
	u.cancel()
}

//export uplink_upload_part
func uplink_upload_part(project *C.UplinkProject, bucketName, objectKey, uploadID *C.uplink_const_char, partNumber C.uint32_t) C.UplinkPartUploadResult {
	bucket, key, id, err := multipartNames(bucketName, objectKey, uploadID)
	if err != nil {
		return C.UplinkPartUploadResult{error: newError(err)}
	}
	var value *partUpload
	err = withProject(project, func(ctx context.Context, p *uplink.Project) error {
		ctx, cancel := context.WithCancel(ctx)
		started, err := p.UploadPart(ctx, bucket, key, id, uint32(partNumber))
		if err != nil {
			cancel()
			return err
		}
		value = &partUpload{cancel: cancel, upload: started}
		return nil
	})
	if err != nil {
		return C.UplinkPartUploadResult{error: newError(err)}
	}
	return C.UplinkPartUploadResult{part_upload: (*C.UplinkPartUpload)(newHandle(value))}
}

//export uplink_part_upload_write
func uplink_part_upload_write(p *C.UplinkPartUpload, bytes unsafe.Pointer, length C.size_t) C.UplinkWriteResult {
	u, err := getPartUpload(p)
	if err != nil {
		return C.UplinkWriteResult{error: newError(err)}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return writeResult(u.upload.Write, bytes, length)
}

//export uplink_part_upload_set_etag
func uplink_part_upload_set_etag(p *C.UplinkPartUpload, etag *C.uplink_const_char) *C.UplinkError {
	value, err := required(etag, "etag")
	if err != nil {
		return newError(err)
	}
	return newError(withPartUpload(p, func(u *partUpload) error { return u.upload.SetETag([]byte(value)) }))
}

//export uplink_part_upload_commit
func uplink_part_upload_commit(p *C.UplinkPartUpload) *C.UplinkError {
	return newError(withPartUpload(p, func(u *partUpload) (err error) {
		runDetached(func() { err = u.upload.Commit() })
		return err
	}))
}

//export uplink_part_upload_abort
func uplink_part_upload_abort(p *C.UplinkPartUpload) *C.UplinkError {
	return newError(withPartUpload(p, func(u *partUpload) error { return u.upload.Abort() }))
}

//export uplink_part_upload_info
func uplink_part_upload_info(p *C.UplinkPartUpload) C.UplinkPartResult {
	var part *uplink.Part
	err := withPartUpload(p, func(u *partUpload) error {
		part = u.upload.Info()
		return nil
	})
	return C.UplinkPartResult{part: partToC(part), error: newError(err)}
}

//export uplink_free_part_upload_result
func uplink_free_part_upload_result(result C.UplinkPartUploadResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.part_upload))
}

//export uplink_free_part
func uplink_free_part(part *C.UplinkPart) {
	if part == nil {
		return
	}
	C.free(unsafe.Pointer(part.etag))
	C.free(unsafe.Pointer(part))
}

//export uplink_free_part_result
func uplink_free_part_result(result C.UplinkPartResult) {
	uplink_free_error(result.error)
	uplink_free_part(result.part)
}

//export uplink_free_upload_info
func uplink_free_upload_info(info *C.UplinkUploadInfo) {
	if info == nil {
		return
	}
	C.free(unsafe.Pointer(info.upload_id))
	C.free(unsafe.Pointer(info.key))
	freeCustom(info.custom)
	C.free(unsafe.Pointer(info))
}

//export uplink_free_upload_info_result
func uplink_free_upload_info_result(result C.UplinkUploadInfoResult) {
	uplink_free_error(result.error)
	uplink_free_upload_info(result.info)
}

//export uplink_free_commit_upload_result
func uplink_free_commit_upload_result(result C.UplinkCommitUploadResult) {
	uplink_free_error(result.error)
	uplink_free_object(result.object)
}
