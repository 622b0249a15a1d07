package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"sync"
	"unsafe"

	"storj.io/uplink"
)

// iterator is the value behind the four iterator handles (buckets, objects, uploads, parts).
// A listing that could not start (bad handle, NULL argument, closed project) is still an
// iterator: Next says false and Err reports why, as callers of the C API expect.
type iterator struct {
	mu      sync.Mutex
	cancel  context.CancelFunc
	failed  error
	next    func() bool
	err     func() error
	item    func() unsafe.Pointer // a malloc'ed C copy of the current item
	hasItem bool
}

// source is what storj.io/uplink's iterators have in common.
type source[T any] interface {
	Next() bool
	Err() error
	Item() T
}

// newIterator starts a listing on the project under a child context; start returns the
// storj.io/uplink iterator and toC copies one of its items into C memory.
func newIterator[T any](handle *C.UplinkProject, argErr error,
	start func(ctx context.Context, project *uplink.Project) source[T], toC func(T) unsafe.Pointer) unsafe.Pointer {
	it := &iterator{failed: argErr}
	if it.failed == nil {
		it.failed = withProject(handle, func(ctx context.Context, project *uplink.Project) error {
			ctx, cancel := context.WithCancel(ctx)
			src := start(ctx, project)
			it.cancel, it.next, it.err = cancel, src.Next, src.Err
			it.item = func() unsafe.Pointer { return toC(src.Item()) }
			return nil
		})
	}
	return newHandle(it)
}

func getIterator(p unsafe.Pointer, kind string) (*iterator, error) {
	if p == nil {
		return nil, errorNull("iterator")
	}
	return lookup[*iterator](universe, handleOf(p), kind)
}

func iteratorNext(p unsafe.Pointer, kind string) C.bool {
	it, err := getIterator(p, kind)
	if err != nil {
		return false
	}
	it.mu.Lock()
	defer it.mu.Unlock()
	it.hasItem = it.failed == nil && it.next()
	return C.bool(it.hasItem)
}

// iteratorItem is NULL when Next has not returned true for the current position.
func iteratorItem(p unsafe.Pointer, kind string) unsafe.Pointer {
	it, err := getIterator(p, kind)
	if err != nil {
		return nil
	}
	it.mu.Lock()
	defer it.mu.Unlock()
	if !it.hasItem {
		return nil
	}
	return it.item()
}

func iteratorErr(p unsafe.Pointer, kind string) *C.UplinkError {
	it, err := getIterator(p, kind)
	if err != nil {
		return newError(err)
	}
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.failed != nil {
		return newError(it.failed)
	}
	return newError(it.err())
}

func (it *iterator) release() {
	if it.cancel != nil {
		it.cancel()
	}
}

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

//export uplink_bucket_iterator_next
func uplink_bucket_iterator_next(it *C.UplinkBucketIterator) C.bool {
	return iteratorNext(unsafe.Pointer(it), "UplinkBucketIterator")
}

//export uplink_bucket_iterator_item
func uplink_bucket_iterator_item(it *C.UplinkBucketIterator) *C.UplinkBucket {
	return (*C.UplinkBucket)(iteratorItem(unsafe.Pointer(it), "UplinkBucketIterator"))
}

//export uplink_bucket_iterator_err
func uplink_bucket_iterator_err(it *C.UplinkBucketIterator) *C.UplinkError {
	return iteratorErr(unsafe.Pointer(it), "UplinkBucketIterator")
}

//export uplink_free_bucket_iterator
func uplink_free_bucket_iterator(it *C.UplinkBucketIterator) {
	freeHandle(unsafe.Pointer(it))
}

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

//export uplink_object_iterator_next
func uplink_object_iterator_next(it *C.UplinkObjectIterator) C.bool {
	return iteratorNext(unsafe.Pointer(it), "UplinkObjectIterator")
}

//export uplink_object_iterator_item
func uplink_object_iterator_item(it *C.UplinkObjectIterator) *C.UplinkObject {
	return (*C.UplinkObject)(iteratorItem(unsafe.Pointer(it), "UplinkObjectIterator"))
}

//export uplink_object_iterator_err
func uplink_object_iterator_err(it *C.UplinkObjectIterator) *C.UplinkError {
	return iteratorErr(unsafe.Pointer(it), "UplinkObjectIterator")
}

//export uplink_free_object_iterator
func uplink_free_object_iterator(it *C.UplinkObjectIterator) {
	freeHandle(unsafe.Pointer(it))
}

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

//export uplink_upload_iterator_next
func uplink_upload_iterator_next(it *C.UplinkUploadIterator) C.bool {
	return iteratorNext(unsafe.Pointer(it), "UplinkUploadIterator")
}

//export uplink_upload_iterator_item
func uplink_upload_iterator_item(it *C.UplinkUploadIterator) *C.UplinkUploadInfo {
	return (*C.UplinkUploadInfo)(iteratorItem(unsafe.Pointer(it), "UplinkUploadIterator"))
}

//export uplink_upload_iterator_err
func uplink_upload_iterator_err(it *C.UplinkUploadIterator) *C.UplinkError {
	return iteratorErr(unsafe.Pointer(it), "UplinkUploadIterator")
}

//export uplink_free_upload_iterator
func uplink_free_upload_iterator(it *C.UplinkUploadIterator) {
	freeHandle(unsafe.Pointer(it))
}

//export uplink_list_upload_parts
func uplink_list_upload_parts(project *C.UplinkProject, bucketName, objectKey, uploadID *C.uplink_const_char, options *C.UplinkListUploadPartsOptions) *C.UplinkPartIterator {
	bucket, err1 := required(bucketName, "bucket_name")
	key, err2 := required(objectKey, "object_key")
	id, err3 := required(uploadID, "upload_id")
	opts := &uplink.ListUploadPartsOptions{}
	if options != nil {
		opts.Cursor = uint32(options.cursor)
	}
	return (*C.UplinkPartIterator)(newIterator(project, firstError(err1, err2, err3),
		func(ctx context.Context, p *uplink.Project) source[*uplink.Part] {
			return p.ListUploadParts(ctx, bucket, key, id, opts)
		},
		func(part *uplink.Part) unsafe.Pointer { return unsafe.Pointer(partToC(part)) }))
}

//export uplink_part_iterator_next
func uplink_part_iterator_next(it *C.UplinkPartIterator) C.bool {
	return iteratorNext(unsafe.Pointer(it), "UplinkPartIterator")
}

//export uplink_part_iterator_item
func uplink_part_iterator_item(it *C.UplinkPartIterator) *C.UplinkPart {
	return (*C.UplinkPart)(iteratorItem(unsafe.Pointer(it), "UplinkPartIterator"))
}

//export uplink_part_iterator_err
func uplink_part_iterator_err(it *C.UplinkPartIterator) *C.UplinkError {
	return iteratorErr(unsafe.Pointer(it), "UplinkPartIterator")
}

//export uplink_free_part_iterator
func uplink_free_part_iterator(it *C.UplinkPartIterator) {
	freeHandle(unsafe.Pointer(it))
}
