package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"unsafe"

	"storj.io/uplink"
)

func objectToC(object *uplink.Object) *C.UplinkObject {
	if object == nil {
		return nil
	}
	c := (*C.UplinkObject)(C.calloc(1, C.sizeof_UplinkObject))
	c.key = cString(object.Key)
	c.is_prefix = C.bool(object.IsPrefix)
	c.system = systemToC(object.System)
	c.custom = customToC(object.Custom)
	return c
}

// objectsToC copies objects into one malloc'ed block: the UplinkObject array first, then every
// custom metadata entry, then every key and metadata string (each NUL-terminated, as cString and
// cBytes make them). It returns the block (NULL for none) and its size in bytes.
func objectsToC(objects []*uplink.Object) (*C.UplinkObject, C.size_t) {
	if len(objects) == 0 {
		return nil, 0
	}
	entries, text := 0, 0
	for _, o := range objects {
		text += len(o.Key) + 1
		entries += len(o.Custom)
		for key, value := range o.Custom {
			text += len(key) + len(value) + 2
		}
	}
	entriesAt := len(objects) * C.sizeof_UplinkObject
	textAt := entriesAt + entries*C.sizeof_UplinkCustomMetadataEntry
	size := textAt + text
	block := C.malloc(C.size_t(size))
	memory := unsafe.Slice((*byte)(block), size)
	array := unsafe.Slice((*C.UplinkObject)(block), len(objects))
	entryArray := unsafe.Slice((*C.UplinkCustomMetadataEntry)(unsafe.Add(block, entriesAt)), entries)
	put := func(s string) (*C.char, C.size_t) {
		start := textAt
		textAt += copy(memory[textAt:], s)
		memory[textAt] = 0
		textAt++
		return (*C.char)(unsafe.Pointer(&memory[start])), C.size_t(len(s))
	}
	next := 0
	for i, o := range objects {
		key, _ := put(o.Key)
		array[i] = C.UplinkObject{key: key, is_prefix: C.bool(o.IsPrefix), system: systemToC(o.System)}
		if len(o.Custom) == 0 {
			continue
		}
		first := next
		for _, name := range sortedKeys(o.Custom) {
			entry := &entryArray[next]
			entry.key, entry.key_length = put(name)
			entry.value, entry.value_length = put(o.Custom[name])
			next++
		}
		array[i].custom = C.UplinkCustomMetadata{entries: &entryArray[first], count: C.size_t(len(o.Custom))}
	}
	return (*C.UplinkObject)(block), C.size_t(size)
}

func objectResult(object *uplink.Object, err error) C.UplinkObjectResult {
	return C.UplinkObjectResult{object: objectToC(object), error: newError(err)}
}

// uplink_free_object frees an object, its key and its custom metadata; NULL is fine.
//
//export uplink_free_object
func uplink_free_object(object *C.UplinkObject) {
	if object == nil {
		return
	}
	C.free(unsafe.Pointer(object.key))
	freeCustom(object.custom)
	C.free(unsafe.Pointer(object))
}

// uplink_free_object_result frees an object result: its error and its object.
//
//export uplink_free_object_result
func uplink_free_object_result(result C.UplinkObjectResult) {
	uplink_free_error(result.error)
	uplink_free_object(result.object)
}

// objectCall runs one operation on bucket/key of the project.
func objectCall(handle *C.UplinkProject, bucketName, objectKey *C.uplink_const_char,
	op func(ctx context.Context, project *uplink.Project, bucket, key string) (*uplink.Object, error)) C.UplinkObjectResult {
	bucket, key, err := objectNames(bucketName, objectKey)
	if err != nil {
		return objectResult(nil, err)
	}
	var object *uplink.Object
	err = withProject(handle, func(ctx context.Context, project *uplink.Project) (err error) {
		object, err = op(ctx, project, bucket, key)
		return err
	})
	return objectResult(object, err)
}

// uplink_stat_object returns the object bucket_name/object_key with its system and custom metadata
// (entries sorted by key).
//
//export uplink_stat_object
func uplink_stat_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char) C.UplinkObjectResult {
	return objectCall(project, bucketName, objectKey,
		func(ctx context.Context, p *uplink.Project, bucket, key string) (*uplink.Object, error) {
			return p.StatObject(ctx, bucket, key)
		})
}

// uplink_delete_object deletes the object bucket_name/object_key and returns what it was.
//
//export uplink_delete_object
func uplink_delete_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char) C.UplinkObjectResult {
	return objectCall(project, bucketName, objectKey,
		func(ctx context.Context, p *uplink.Project, bucket, key string) (*uplink.Object, error) {
			return p.DeleteObject(ctx, bucket, key)
		})
}

// uplink_update_object_metadata replaces the custom metadata of the object bucket_name/object_key.
//
//export uplink_update_object_metadata
func uplink_update_object_metadata(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, newMetadata C.UplinkCustomMetadata, options *C.UplinkUploadObjectMetadataOptions) *C.UplinkError {
	metadata := customFromC(newMetadata)
	result := objectCall(project, bucketName, objectKey,
		func(ctx context.Context, p *uplink.Project, bucket, key string) (*uplink.Object, error) {
			return nil, p.UpdateObjectMetadata(ctx, bucket, key, metadata, nil)
		})
	return result.error
}

// objectPair reads the four names of a copy or move.
func objectPair(oldBucket, oldKey, newBucket, newKey *C.uplink_const_char) ([4]string, error) {
	var names [4]string
	var errs [4]error
	for i, arg := range []struct {
		value *C.uplink_const_char
		name  string
	}{{oldBucket, "old_bucket_name"}, {oldKey, "old_object_key"}, {newBucket, "new_bucket_name"}, {newKey, "new_object_key"}} {
		names[i], errs[i] = required(arg.value, arg.name)
	}
	return names, firstError(errs[:]...)
}

// uplink_copy_object copies an object to a new bucket/key (server side, no data through the client)
// and returns the copy.
//
//export uplink_copy_object
func uplink_copy_object(project *C.UplinkProject, oldBucketName, oldObjectKey, newBucketName, newObjectKey *C.uplink_const_char, options *C.UplinkCopyObjectOptions) C.UplinkObjectResult {
	names, err := objectPair(oldBucketName, oldObjectKey, newBucketName, newObjectKey)
	if err != nil {
		return objectResult(nil, err)
	}
	var object *uplink.Object
	err = withProject(project, func(ctx context.Context, p *uplink.Project) (err error) {
		object, err = p.CopyObject(ctx, names[0], names[1], names[2], names[3], nil)
		return err
	})
	return objectResult(object, err)
}

// uplink_move_object moves (renames) an object to a new bucket/key, server side.
//
//export uplink_move_object
func uplink_move_object(project *C.UplinkProject, oldBucketName, oldObjectKey, newBucketName, newObjectKey *C.uplink_const_char, options *C.UplinkMoveObjectOptions) *C.UplinkError {
	names, err := objectPair(oldBucketName, oldObjectKey, newBucketName, newObjectKey)
	if err != nil {
		return newError(err)
	}
	return newError(withProject(project, func(ctx context.Context, p *uplink.Project) error {
		return p.MoveObject(ctx, names[0], names[1], names[2], names[3], nil)
	}))
}
