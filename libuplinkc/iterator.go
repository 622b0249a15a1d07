package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"unsafe"

	"storj.io/uplink"
)

// listing is the state of an iterator handle (buckets, objects, uploads, parts). A listing that
// could not start (bad handle, NULL argument, closed project) is still an iterator: Next says
// false and Err reports why, as callers of the C API expect.
type listing struct {
	failed  error
	next    func() bool
	err     func() error
	item    func() unsafe.Pointer // a malloc'ed C copy of the current item
	current func() any            // the current item as storj.io/uplink gave it (pages converted at once)
	hasItem bool
}

// iterator is the value behind the four iterator handles.
type iterator = locked[*listing]

// source is what storj.io/uplink's iterators have in common.
type source[T any] interface {
	Next() bool
	Err() error
	Item() T
}

// newIterator starts a listing on the project under a child scope; start returns the
// storj.io/uplink iterator and toC copies one of its items into C memory.
func newIterator[T any](project *C.UplinkProject, argErr error,
	start func(ctx context.Context, project *uplink.Project) source[T], toC func(T) unsafe.Pointer) unsafe.Pointer {
	if argErr == nil {
		handle, err := startChild(project, func(ctx context.Context, p *uplink.Project) (*listing, error) {
			src := start(ctx, p)
			return &listing{next: src.Next, err: src.Err, item: func() unsafe.Pointer { return toC(src.Item()) },
				current: func() any { return src.Item() }}, nil
		}, nil)
		if err == nil {
			return handle
		}
		argErr = err
	}
	return newHandle(&iterator{value: &listing{failed: argErr}})
}

func iteratorNext[H cHandle](p *H) C.bool {
	var hasItem bool
	_ = withLocked(p, func(it *iterator) error {
		l := it.value
		l.hasItem = l.failed == nil && l.next()
		hasItem = l.hasItem
		return nil
	})
	return C.bool(hasItem)
}

// iteratorItem is NULL when Next has not returned true for the current position.
func iteratorItem[H cHandle](p *H) unsafe.Pointer {
	var item unsafe.Pointer
	_ = withLocked(p, func(it *iterator) error {
		if it.value.hasItem {
			item = it.value.item()
		}
		return nil
	})
	return item
}

func iteratorErr[H cHandle](p *H) *C.UplinkError {
	return newError(withLocked(p, func(it *iterator) error {
		if it.value.failed != nil {
			return it.value.failed
		}
		return it.value.err()
	}))
}

// uplink_list_buckets starts a listing of the project's buckets, in name order, after options->cursor
// if set.
//
//export uplink_list_buckets
func uplink_list_buckets(project *C.UplinkProject, options *C.UplinkListBucketsOptions) *C.UplinkBucketIterator {
	opts := &uplink.ListBucketsOptions{}
	if options != nil {
		opts.Cursor = goString(options.cursor)
	}
	return (*C.UplinkBucketIterator)(newIterator(project, nil,
		func(ctx context.Context, p *uplink.Project) source[*uplink.Bucket] { return p.ListBuckets(ctx, opts) },
		func(b *uplink.Bucket) unsafe.Pointer { return unsafe.Pointer(bucketToC(b)) }))
}

// uplink_bucket_iterator_next moves the bucket listing to its next bucket; false at the end or on an
// error (see uplink_bucket_iterator_err).
//
//export uplink_bucket_iterator_next
func uplink_bucket_iterator_next(it *C.UplinkBucketIterator) C.bool {
	return iteratorNext(it)
}

// uplink_bucket_iterator_item returns a copy of the current bucket, to free with uplink_free_bucket;
// NULL before the first next or after the last.
//
//export uplink_bucket_iterator_item
func uplink_bucket_iterator_item(it *C.UplinkBucketIterator) *C.UplinkBucket {
	return (*C.UplinkBucket)(iteratorItem(it))
}

// uplink_bucket_iterator_err returns the error that ended the bucket listing, or NULL.
//
//export uplink_bucket_iterator_err
func uplink_bucket_iterator_err(it *C.UplinkBucketIterator) *C.UplinkError {
	return iteratorErr(it)
}

// uplink_free_bucket_iterator frees a bucket listing, cancelling what it still had in flight.
//
//export uplink_free_bucket_iterator
func uplink_free_bucket_iterator(it *C.UplinkBucketIterator) {
	freeHandle(unsafe.Pointer(it))
}

// uplink_list_objects starts a listing of the objects in bucket_name, with the prefix, cursor,
// recursion and metadata the options ask for.
//
//export uplink_list_objects
func uplink_list_objects(project *C.UplinkProject, bucketName *C.uplink_const_char, options *C.UplinkListObjectsOptions) *C.UplinkObjectIterator {
	bucket, err := required(bucketName, "bucket_name")
	opts := &uplink.ListObjectsOptions{}
	if options != nil {
		opts.Prefix = goString(options.prefix)
		opts.Cursor = goString(options.cursor)
		opts.Recursive = bool(options.recursive)
		opts.System = bool(options.system)
		opts.Custom = bool(options.custom)
	}
	return (*C.UplinkObjectIterator)(newIterator(project, err,
		func(ctx context.Context, p *uplink.Project) source[*uplink.Object] {
			return p.ListObjects(ctx, bucket, opts)
		},
		func(o *uplink.Object) unsafe.Pointer { return unsafe.Pointer(objectToC(o)) }))
}

// uplink_object_iterator_next moves the object listing to its next object; false at the end or on an
// error (see uplink_object_iterator_err).
//
//export uplink_object_iterator_next
func uplink_object_iterator_next(it *C.UplinkObjectIterator) C.bool {
	return iteratorNext(it)
}

// uplink_object_iterator_item returns a copy of the current object, to free with uplink_free_object;
// NULL before the first next or after the last.
//
//export uplink_object_iterator_item
func uplink_object_iterator_item(it *C.UplinkObjectIterator) *C.UplinkObject {
	return (*C.UplinkObject)(iteratorItem(it))
}

// uplink_object_iterator_err returns the error that ended the object listing, or NULL.
//
//export uplink_object_iterator_err
func uplink_object_iterator_err(it *C.UplinkObjectIterator) *C.UplinkError {
	return iteratorErr(it)
}

// uplink_free_object_iterator frees an object listing, cancelling what it still had in flight.
//
//export uplink_free_object_iterator
func uplink_free_object_iterator(it *C.UplinkObjectIterator) {
	freeHandle(unsafe.Pointer(it))
}

// uplink_list_uploads starts a listing of the multipart uploads in bucket_name that are not committed
// yet.
//
//export uplink_list_uploads
func uplink_list_uploads(project *C.UplinkProject, bucketName *C.uplink_const_char, options *C.UplinkListUploadsOptions) *C.UplinkUploadIterator {
	bucket, err := required(bucketName, "bucket_name")
	opts := &uplink.ListUploadsOptions{}
	if options != nil {
		opts.Prefix = goString(options.prefix)
		opts.Cursor = goString(options.cursor)
		opts.Recursive = bool(options.recursive)
		opts.System = bool(options.system)
		opts.Custom = bool(options.custom)
	}
	return (*C.UplinkUploadIterator)(newIterator(project, err,
		func(ctx context.Context, p *uplink.Project) source[*uplink.UploadInfo] {
			return p.ListUploads(ctx, bucket, opts)
		},
		func(info *uplink.UploadInfo) unsafe.Pointer { return unsafe.Pointer(uploadInfoToC(info)) }))
}

// uplink_upload_iterator_next moves the upload listing to its next upload; false at the end or on an
// error (see uplink_upload_iterator_err).
//
//export uplink_upload_iterator_next
func uplink_upload_iterator_next(it *C.UplinkUploadIterator) C.bool {
	return iteratorNext(it)
}

// uplink_upload_iterator_item returns a copy of the current upload, to free with
// uplink_free_upload_info; NULL before the first next or after the last.
//
//export uplink_upload_iterator_item
func uplink_upload_iterator_item(it *C.UplinkUploadIterator) *C.UplinkUploadInfo {
	return (*C.UplinkUploadInfo)(iteratorItem(it))
}

// uplink_upload_iterator_err returns the error that ended the upload listing, or NULL.
//
//export uplink_upload_iterator_err
func uplink_upload_iterator_err(it *C.UplinkUploadIterator) *C.UplinkError {
	return iteratorErr(it)
}

// uplink_free_upload_iterator frees an upload listing, cancelling what it still had in flight.
//
//export uplink_free_upload_iterator
func uplink_free_upload_iterator(it *C.UplinkUploadIterator) {
	freeHandle(unsafe.Pointer(it))
}

// uplink_list_upload_parts starts a listing of the parts uploaded so far to the multipart upload
// upload_id, after options->cursor if set.
//
//export uplink_list_upload_parts
func uplink_list_upload_parts(project *C.UplinkProject, bucketName, objectKey, uploadID *C.uplink_const_char, options *C.UplinkListUploadPartsOptions) *C.UplinkPartIterator {
	bucket, key, id, err := multipartNames(bucketName, objectKey, uploadID)
	opts := &uplink.ListUploadPartsOptions{}
	if options != nil {
		opts.Cursor = uint32(options.cursor)
	}
	return (*C.UplinkPartIterator)(newIterator(project, err,
		func(ctx context.Context, p *uplink.Project) source[*uplink.Part] {
			return p.ListUploadParts(ctx, bucket, key, id, opts)
		},
		func(part *uplink.Part) unsafe.Pointer { return unsafe.Pointer(partToC(part)) }))
}

// uplink_part_iterator_next moves the part listing to its next part; false at the end or on an error
// (see uplink_part_iterator_err).
//
//export uplink_part_iterator_next
func uplink_part_iterator_next(it *C.UplinkPartIterator) C.bool {
	return iteratorNext(it)
}

// uplink_part_iterator_item returns a copy of the current part, to free with uplink_free_part; NULL
// before the first next or after the last.
//
//export uplink_part_iterator_item
func uplink_part_iterator_item(it *C.UplinkPartIterator) *C.UplinkPart {
	return (*C.UplinkPart)(iteratorItem(it))
}

// uplink_part_iterator_err returns the error that ended the part listing, or NULL.
//
//export uplink_part_iterator_err
func uplink_part_iterator_err(it *C.UplinkPartIterator) *C.UplinkError {
	return iteratorErr(it)
}

// uplink_free_part_iterator frees a part listing, cancelling what it still had in flight.
//
//export uplink_free_part_iterator
func uplink_free_part_iterator(it *C.UplinkPartIterator) {
	freeHandle(unsafe.Pointer(it))
}
