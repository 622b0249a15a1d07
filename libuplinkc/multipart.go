package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
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

// uplink_begin_upload starts a multipart upload of bucket_name/object_key and returns its upload ID.
//
//export uplink_begin_upload
func uplink_begin_upload(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkUploadOptions) C.UplinkUploadInfoResult {
	bucket, key, err := objectNames(bucketName, objectKey)
	if err != nil {
		return C.UplinkUploadInfoResult{error: newError(err)}
	}
	opts := uploadOptions(options)
	var info uplink.UploadInfo
	err = withProject(project, func(ctx context.Context, p *uplink.Project) (err error) {
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
	bucket, key, err1 := objectNames(bucketName, objectKey)
	id, err2 := required(uploadID, "upload_id")
	return bucket, key, id, firstError(err1, err2)
}

// uplink_commit_upload commits the multipart upload upload_id: its parts, in part number order, become
// the object.
//
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

// uplink_abort_upload abandons the multipart upload upload_id and deletes the parts uploaded so far.
//
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

// partUpload is the value behind an UplinkPartUpload handle; freed before commit, it is aborted.
type partUpload = locked[*uplink.PartUpload]

// uplink_upload_part starts the upload of part part_number of the multipart upload upload_id.
//
//export uplink_upload_part
func uplink_upload_part(project *C.UplinkProject, bucketName, objectKey, uploadID *C.uplink_const_char, partNumber C.uint32_t) C.UplinkPartUploadResult {
	bucket, key, id, err := multipartNames(bucketName, objectKey, uploadID)
	if err != nil {
		return C.UplinkPartUploadResult{error: newError(err)}
	}
	handle, err := startChild(project, func(ctx context.Context, p *uplink.Project) (*uplink.PartUpload, error) {
		return p.UploadPart(ctx, bucket, key, id, uint32(partNumber))
	}, (*uplink.PartUpload).Abort)
	return C.UplinkPartUploadResult{part_upload: (*C.UplinkPartUpload)(handle), error: newError(err)}
}

// uplink_part_upload_write writes length bytes from the caller's buffer to the part and returns
// how many it took.
//
//export uplink_part_upload_write
func uplink_part_upload_write(p *C.UplinkPartUpload, bytes unsafe.Pointer, length C.size_t) C.UplinkWriteResult {
	return writeResult[*uplink.PartUpload](p, bytes, length, writeHop(length))
}

// uplink_part_upload_set_etag sets the part's ETag, which the listing of parts reports.
//
//export uplink_part_upload_set_etag
func uplink_part_upload_set_etag(p *C.UplinkPartUpload, etag *C.uplink_const_char) *C.UplinkError {
	value, err := required(etag, "etag")
	if err != nil {
		return newError(err)
	}
	return newError(withLocked(p, func(u *partUpload) error { return u.value.SetETag([]byte(value)) }))
}

// uplink_part_upload_commit finishes the part.
//
//export uplink_part_upload_commit
func uplink_part_upload_commit(p *C.UplinkPartUpload) *C.UplinkError {
	return newError(commit[*uplink.PartUpload](p, runDetached))
}

// uplink_part_upload_abort abandons the part.
//
//export uplink_part_upload_abort
func uplink_part_upload_abort(p *C.UplinkPartUpload) *C.UplinkError {
	return endResult[*uplink.PartUpload](p)
}

// uplink_part_upload_info returns the part as uploaded so far.
//
//export uplink_part_upload_info
func uplink_part_upload_info(p *C.UplinkPartUpload) C.UplinkPartResult {
	part, err := infoOf[uplink.Part, *uplink.PartUpload](p)
	return C.UplinkPartResult{part: partToC(part), error: newError(err)}
}

// uplink_free_part_upload_result frees a part upload result: its error and its part upload handle (a
// part not committed is aborted).
//
//export uplink_free_part_upload_result
func uplink_free_part_upload_result(result C.UplinkPartUploadResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.part_upload))
}

// uplink_free_part frees a part and its ETag; NULL is fine.
//
//export uplink_free_part
func uplink_free_part(part *C.UplinkPart) {
	if part == nil {
		return
	}
	C.free(unsafe.Pointer(part.etag))
	C.free(unsafe.Pointer(part))
}

// uplink_free_part_result frees a part result: its error and its part.
//
//export uplink_free_part_result
func uplink_free_part_result(result C.UplinkPartResult) {
	uplink_free_error(result.error)
	uplink_free_part(result.part)
}

// uplink_free_upload_info frees an upload info, its strings and its custom metadata; NULL is fine.
//
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

// uplink_free_upload_info_result frees an upload info result: its error and its upload info.
//
//export uplink_free_upload_info_result
func uplink_free_upload_info_result(result C.UplinkUploadInfoResult) {
	uplink_free_error(result.error)
	uplink_free_upload_info(result.info)
}

// uplink_free_commit_upload_result frees a commit result: its error and its object.
//
//export uplink_free_commit_upload_result
func uplink_free_commit_upload_result(result C.UplinkCommitUploadResult) {
	uplink_free_error(result.error)
	uplink_free_object(result.object)
}
