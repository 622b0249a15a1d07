package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"unsafe"

	"storj.io/uplink"
)

func bucketToC(bucket *uplink.Bucket) *C.UplinkBucket {
	if bucket == nil {
		return nil
	}
	c := (*C.UplinkBucket)(C.calloc(1, C.sizeof_UplinkBucket))
	c.name = cString(bucket.Name)
	c.created = unixSeconds(bucket.Created)
	return c
}

// bucketCall runs one bucket operation of the project by name.
func bucketCall(handle *C.UplinkProject, bucketName *C.uplink_const_char,
	op func(project *uplink.Project, ctx context.Context, name string) (*uplink.Bucket, error)) C.UplinkBucketResult {
	name, err := required(bucketName, "bucket_name")
	var bucket *uplink.Bucket
	if err == nil {
		err = withProject(handle, func(ctx context.Context, project *uplink.Project) (err error) {
			bucket, err = op(project, ctx, name)
			return err
		})
	}
	if err != nil {
		// Some operations return the bucket with an error (e.g. already exists): keep it, as upstream.
		return C.UplinkBucketResult{bucket: bucketToC(bucket), error: newError(err)}
	}
	return C.UplinkBucketResult{bucket: bucketToC(bucket)}
}

// uplink_stat_bucket returns the bucket bucket_name: its name and creation time.
//
//export uplink_stat_bucket
func uplink_stat_bucket(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UplinkBucketResult {
	return bucketCall(project, bucketName, (*uplink.Project).StatBucket)
}

// uplink_create_bucket creates the bucket bucket_name; BUCKET_ALREADY_EXISTS (with the bucket) if it
// exists.
//
//export uplink_create_bucket
func uplink_create_bucket(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UplinkBucketResult {
	return bucketCall(project, bucketName, (*uplink.Project).CreateBucket)
}

// uplink_ensure_bucket creates the bucket bucket_name unless it exists, and returns it either way.
//
//export uplink_ensure_bucket
func uplink_ensure_bucket(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UplinkBucketResult {
	return bucketCall(project, bucketName, (*uplink.Project).EnsureBucket)
}

// uplink_delete_bucket deletes the empty bucket bucket_name; BUCKET_NOT_EMPTY if it holds objects.
//
//export uplink_delete_bucket
func uplink_delete_bucket(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UplinkBucketResult {
	return bucketCall(project, bucketName, (*uplink.Project).DeleteBucket)
}

// uplink_delete_bucket_with_objects deletes the bucket bucket_name and every object in it.
//
//export uplink_delete_bucket_with_objects
func uplink_delete_bucket_with_objects(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UplinkBucketResult {
	return bucketCall(project, bucketName, (*uplink.Project).DeleteBucketWithObjects)
}

// uplink_free_bucket_result frees a bucket result: its error and its bucket.
//
//export uplink_free_bucket_result
func uplink_free_bucket_result(result C.UplinkBucketResult) {
	uplink_free_error(result.error)
	uplink_free_bucket(result.bucket)
}

// uplink_free_bucket frees a bucket and its name; NULL is fine.
//
//export uplink_free_bucket
func uplink_free_bucket(bucket *C.UplinkBucket) {
	if bucket == nil {
		return
	}
	C.free(unsafe.Pointer(bucket.name))
	C.free(unsafe.Pointer(bucket))
}
