package main

// #include "uplink_python_ext.h"
import "C"

import (
	"context"
	"errors"
	"unsafe"

	"storj.io/common/rpc/rpcstatus"
	"storj.io/uplink"
	privateBucket "storj.io/uplink/private/bucket"
	"storj.io/uplink/private/metaclient"
	"storj.io/uplink/private/object"
	privateProject "storj.io/uplink/private/project"
)

// Codes of the extension header (uplink_python_ext.h), taken from its #defines; Go constants so
// tests can use them.
const (
	codeObjectProtected      = C.UPY_ERROR_OBJECT_PROTECTED
	codeObjectLockNotEnabled = C.UPY_ERROR_OBJECT_LOCK_NOT_ENABLED
	codeFailedPrecondition   = C.UPY_ERROR_FAILED_PRECONDITION
	codeRetentionNotFound    = C.UPY_ERROR_RETENTION_NOT_FOUND
	codeMethodNotAllowed     = C.UPY_ERROR_METHOD_NOT_ALLOWED
)

// extErrorCodes are the extension's failures as storj.io/uplink's private packages report them.
var extErrorCodes = []struct {
	target error
	code   int
}{
	{object.ErrObjectProtected, codeObjectProtected},
	{privateBucket.ErrBucketNoLock, codeObjectLockNotEnabled},
	{privateProject.ErrProjectNoLock, codeObjectLockNotEnabled},
	{privateProject.ErrLockNotEnabled, codeObjectLockNotEnabled},
	{object.ErrNoObjectLockConfiguration, codeObjectLockNotEnabled},
	{object.ErrFailedPrecondition, codeFailedPrecondition},
	{object.ErrRetentionNotFound, codeRetentionNotFound},
	{object.ErrMethodNotAllowed, codeMethodNotAllowed},
}

// extRPCCodes classify the satellite's status codes where storj.io/uplink passes them on raw
// (an upload's commit).
var extRPCCodes = map[rpcstatus.StatusCode]int{
	rpcstatus.ObjectLockObjectProtected:                     codeObjectProtected,
	rpcstatus.ObjectLockBucketRetentionConfigurationMissing: codeObjectLockNotEnabled,
	rpcstatus.ObjectLockDisabledForProject:                  codeObjectLockNotEnabled,
	rpcstatus.ObjectLockEndpointsDisabled:                   codeObjectLockNotEnabled,
	rpcstatus.FailedPrecondition:                            codeFailedPrecondition,
	rpcstatus.ObjectLockObjectRetentionConfigurationMissing: codeRetentionNotFound,
	rpcstatus.MethodNotAllowed:                              codeMethodNotAllowed,
}

// newExtError is newError for the extension's calls: uplink-c's codes first, then the
// extension's. (uplink-c's own functions keep uplink-c's codes exactly.)
func newExtError(err error) *C.UplinkError {
	cerr := newError(err)
	if cerr == nil || cerr.code != codeInternal {
		return cerr
	}
	for _, entry := range extErrorCodes {
		if errors.Is(err, entry.target) {
			cerr.code = C.int32_t(entry.code)
			return cerr
		}
	}
	if code, ok := extRPCCodes[rpcstatus.Code(err)]; ok {
		cerr.code = C.int32_t(code)
	}
	return cerr
}

// versionArg copies a version argument; NULL or empty means none (the latest).
func versionArg(p *C.uint8_t, length C.size_t) []byte {
	if p == nil || length == 0 {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(length))
}

// cVersion is a malloc'ed copy of a version (NULL for none).
func cVersion(version []byte) (*C.uint8_t, C.size_t) {
	if len(version) == 0 {
		return nil, 0
	}
	p, n := cBytes(version)
	return (*C.uint8_t)(unsafe.Pointer(p)), n
}

func retentionToC(r *metaclient.Retention) C.UpyRetention {
	if r == nil {
		return C.UpyRetention{}
	}
	return C.UpyRetention{mode: C.int32_t(r.Mode), retain_until: unixSeconds(r.RetainUntil)}
}

func versionedToC(o *object.VersionedObject) *C.UpyVersionedObject {
	if o == nil {
		return nil
	}
	c := (*C.UpyVersionedObject)(C.calloc(1, C.sizeof_UpyVersionedObject))
	c.object = objectToC(&o.Object)
	c.version, c.version_length = cVersion(o.Version)
	c.is_versioned = C.bool(o.IsVersioned)
	c.is_delete_marker = C.bool(o.IsDeleteMarker)
	c.is_latest = C.bool(o.IsLatest)
	c.retention = retentionToC(o.Retention)
	c.legal_hold = C.UPY_LEGAL_HOLD_UNKNOWN
	if o.LegalHold != nil {
		c.legal_hold = C.UPY_LEGAL_HOLD_OFF
		if *o.LegalHold {
			c.legal_hold = C.UPY_LEGAL_HOLD_ON
		}
	}
	return c
}

func versionedResult(o *object.VersionedObject, err error) C.UpyVersionedObjectResult {
	if err != nil {
		return C.UpyVersionedObjectResult{error: newExtError(err)}
	}
	return C.UpyVersionedObjectResult{object: versionedToC(o)}
}

// upy_free_versioned_object frees an UpyVersionedObject and the object it holds.
//
//export upy_free_versioned_object
func upy_free_versioned_object(o *C.UpyVersionedObject) {
	if o == nil {
		return
	}
	uplink_free_object(o.object)
	C.free(unsafe.Pointer(o.version))
	C.free(unsafe.Pointer(o))
}

// upy_free_versioned_object_result frees both parts of an UpyVersionedObjectResult.
//
//export upy_free_versioned_object_result
func upy_free_versioned_object_result(result C.UpyVersionedObjectResult) {
	uplink_free_error(result.error)
	upy_free_versioned_object(result.object)
}

// upy_free_int_result frees the error of an UpyIntResult.
//
//export upy_free_int_result
func upy_free_int_result(result C.UpyIntResult) {
	uplink_free_error(result.error)
}

// extCall runs op on the project after checking the bucket (and, when key is not nil, the key)
// arguments; it is the one shape of the extension's simple calls.
func extCall(handle *C.UplinkProject, bucketName, objectKey *C.uplink_const_char,
	op func(ctx context.Context, project *uplink.Project, bucket, key string) error) error {
	bucket, err := required(bucketName, "bucket_name")
	if err != nil {
		return err
	}
	key := goString(objectKey)
	return withProject(handle, func(ctx context.Context, project *uplink.Project) error {
		return op(ctx, project, bucket, key)
	})
}

// objectExtCall is extCall for calls that need an object key.
func objectExtCall(handle *C.UplinkProject, bucketName, objectKey *C.uplink_const_char,
	op func(ctx context.Context, project *uplink.Project, bucket, key string) error) error {
	if _, err := required(objectKey, "object_key"); err != nil {
		return err
	}
	return extCall(handle, bucketName, objectKey, op)
}

// versionCall runs op on one version (none: the latest) of an object, after checking the
// arguments, and returns what op returns.
func versionCall[T any](handle *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t,
	op func(ctx context.Context, project *uplink.Project, bucket, key string, version []byte) (T, error)) (T, error) {
	v := versionArg(version, versionLength)
	var result T
	err := objectExtCall(handle, bucketName, objectKey, func(ctx context.Context, p *uplink.Project, bucket, key string) (err error) {
		result, err = op(ctx, p, bucket, key, v)
		return err
	})
	return result, err
}

// upy_create_bucket creates a bucket, with Object Lock (and so versioning) when object_lock.
//
//export upy_create_bucket
func upy_create_bucket(project *C.UplinkProject, bucketName *C.uplink_const_char, objectLock C.bool) C.UplinkBucketResult {
	var created *uplink.Bucket
	err := extCall(project, bucketName, nil, func(ctx context.Context, p *uplink.Project, bucket, _ string) (err error) {
		if !objectLock {
			created, err = p.CreateBucket(ctx, bucket)
			return err
		}
		b, err := privateBucket.CreateBucketWithObjectLock(ctx, p, privateBucket.CreateBucketWithObjectLockParams{
			Name: bucket, ObjectLockEnabled: true,
		})
		if b != nil {
			created = &uplink.Bucket{Name: b.Name, Created: b.Created}
		}
		return err
	})
	return C.UplinkBucketResult{bucket: bucketToC(created), error: newExtError(err)}
}

// upy_get_bucket_versioning returns a bucket's UPY_VERSIONING_* state.
//
//export upy_get_bucket_versioning
func upy_get_bucket_versioning(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UpyIntResult {
	var state int32
	err := extCall(project, bucketName, nil, func(ctx context.Context, p *uplink.Project, bucket, _ string) (err error) {
		state, err = privateBucket.GetBucketVersioning(ctx, p, bucket)
		return err
	})
	return C.UpyIntResult{value: C.int64_t(state), error: newExtError(err)}
}

// upy_set_bucket_versioning enables (or, with enabled false, suspends) a bucket's versioning.
//
//export upy_set_bucket_versioning
func upy_set_bucket_versioning(project *C.UplinkProject, bucketName *C.uplink_const_char, enabled C.bool) *C.UplinkError {
	return newExtError(extCall(project, bucketName, nil, func(ctx context.Context, p *uplink.Project, bucket, _ string) error {
		return privateBucket.SetBucketVersioning(ctx, p, bucket, bool(enabled))
	}))
}

// upy_stat_object returns an object's latest version, or the version given.
//
//export upy_stat_object
func upy_stat_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t) C.UpyVersionedObjectResult {
	return versionedResult(versionCall(project, bucketName, objectKey, version, versionLength, object.StatObject))
}

// upy_delete_object deletes a version, or (no version) the latest: in a versioned bucket that
// writes a delete marker, which is what comes back. bypass_governance lifts governance
// retention (a permission of its own).
//
//export upy_delete_object
func upy_delete_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t, bypassGovernance C.bool) C.UpyVersionedObjectResult {
	options := &object.DeleteObjectOptions{BypassGovernanceRetention: bool(bypassGovernance)}
	return versionedResult(versionCall(project, bucketName, objectKey, version, versionLength,
		func(ctx context.Context, p *uplink.Project, bucket, key string, v []byte) (*object.VersionedObject, error) {
			return object.DeleteObject(ctx, p, bucket, key, v, options)
		}))
}

// upy_download_object starts a download of a version (none: the latest); the download is an
// ordinary UplinkDownload (uplink_download_read, uplink_close_download, uplink_free_download_result).
//
//export upy_download_object
func upy_download_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t, options *C.UplinkDownloadOptions) C.UplinkDownloadResult {
	v := versionArg(version, versionLength)
	var opts *metaclient.DownloadOptions
	if options != nil {
		streamRange, err := metaclient.NewStreamRange(int64(options.offset), int64(options.length))
		if err != nil {
			return C.UplinkDownloadResult{error: newExtError(err)}
		}
		opts = &metaclient.DownloadOptions{Range: streamRange}
	}
	var handle unsafe.Pointer
	err := objectExtCall(project, bucketName, objectKey, func(ctx context.Context, p *uplink.Project, bucket, key string) (err error) {
		handle, err = newChild(ctx, func(ctx context.Context) (*uplink.Download, error) {
			return downloadObjectWithVersion(ctx, p, bucket, key, v, opts)
		}, closeDownload)
		return err
	})
	return C.UplinkDownloadResult{download: (*C.UplinkDownload)(handle), error: newExtError(err)}
}

// upy_upload_object starts an upload with Object Lock settings and If-None-Match; the upload is
// an ordinary UplinkUpload, committed with upy_upload_commit to get the extension's error codes.
//
//export upy_upload_object
func upy_upload_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UpyUploadOptions) C.UplinkUploadResult {
	opts := &metaclient.UploadOptions{}
	if options != nil {
		opts.Expires = timeOf(options.expires)
		opts.Retention = metaclient.Retention{Mode: storjRetentionMode(options.retention.mode), RetainUntil: timeOf(options.retention.retain_until)}
		opts.LegalHold = bool(options.legal_hold)
		if options.if_none_match {
			opts.IfNoneMatch = []string{"*"}
		}
	}
	var handle unsafe.Pointer
	err := objectExtCall(project, bucketName, objectKey, func(ctx context.Context, p *uplink.Project, bucket, key string) (err error) {
		handle, err = newChild(ctx, func(ctx context.Context) (*uplink.Upload, error) {
			return uploadObjectWithRetention(ctx, p, bucket, key, opts)
		}, (*uplink.Upload).Abort)
		return err
	})
	return C.UplinkUploadResult{upload: (*C.UplinkUpload)(handle), error: newExtError(err)}
}

// upy_upload_commit is uplink_upload_commit with the extension's error codes (a refused
// If-None-Match is UPY_ERROR_FAILED_PRECONDITION).
//
//export upy_upload_commit
func upy_upload_commit(p *C.UplinkUpload) *C.UplinkError {
	return newExtError(commit[*uplink.Upload](p, runDetached))
}

// upy_upload_info is uplink_upload_info with the version: after commit, the version written
// (none for an unversioned object), its retention and legal hold.
//
//export upy_upload_info
func upy_upload_info(p *C.UplinkUpload) C.UpyVersionedObjectResult {
	var info *object.VersionedObject
	err := withLocked(p, func(u *upload) error {
		plain := u.value.Info()
		if plain == nil {
			return nil
		}
		info = &object.VersionedObject{Object: *plain}
		if meta := upload_getStreamMeta(u.value); meta != nil {
			info.Version, info.IsVersioned = meta.Version, meta.IsVersioned
			info.Retention, info.LegalHold = meta.Retention, meta.LegalHold
		}
		return nil
	})
	return versionedResult(info, err)
}

// versionPages is a source of every version of a bucket, a page of the satellite at a time.
type versionPages struct {
	ctx     context.Context
	project *uplink.Project
	bucket  string
	options object.ListObjectVersionsOptions
	page    []*object.VersionedObject
	more    bool
	started bool
	err     error
	current *object.VersionedObject
}

func (v *versionPages) Next() bool {
	for len(v.page) == 0 {
		if v.err != nil || (v.started && !v.more) {
			return false
		}
		v.started = true
		v.page, v.more, v.err = object.ListObjectVersions(v.ctx, v.project, v.bucket, &v.options)
		if v.err != nil {
			return false
		}
		if len(v.page) > 0 {
			// The cursor is relative to the prefix; the keys handed out are whole, as uplink_list_objects's.
			last := v.page[len(v.page)-1]
			v.options.Cursor, v.options.VersionCursor = last.Key, last.Version
			for _, o := range v.page {
				o.Key = v.options.Prefix + o.Key
			}
		}
	}
	v.current, v.page = v.page[0], v.page[1:]
	return true
}

func (v *versionPages) Err() error { return v.err }

func (v *versionPages) Item() *object.VersionedObject { return v.current }

// upy_list_object_versions lists every version and delete marker of a bucket, by key, newest
// first within a key.
//
//export upy_list_object_versions
func upy_list_object_versions(project *C.UplinkProject, bucketName *C.uplink_const_char, options *C.UpyListObjectVersionsOptions) *C.UpyObjectVersionIterator {
	bucket, err := required(bucketName, "bucket_name")
	opts := object.ListObjectVersionsOptions{}
	if options != nil {
		opts.Prefix = goString(options.prefix)
		opts.Cursor = goString(options.cursor)
		opts.VersionCursor = versionArg(options.version_cursor, options.version_cursor_length)
		opts.Recursive = bool(options.recursive)
		opts.System = bool(options.system)
		opts.Custom = bool(options.custom)
	}
	return (*C.UpyObjectVersionIterator)(newIterator(project, err,
		func(ctx context.Context, p *uplink.Project) source[*object.VersionedObject] {
			return &versionPages{ctx: ctx, project: p, bucket: bucket, options: opts}
		},
		func(o *object.VersionedObject) unsafe.Pointer { return unsafe.Pointer(versionedToC(o)) }))
}

// upy_object_version_iterator_next advances the iterator; false at the end or on error.
//
//export upy_object_version_iterator_next
func upy_object_version_iterator_next(it *C.UpyObjectVersionIterator) C.bool {
	return iteratorNext(it)
}

// upy_object_version_iterator_item returns a copy of the current item (free it with
// upy_free_versioned_object), NULL before the first successful next.
//
//export upy_object_version_iterator_item
func upy_object_version_iterator_item(it *C.UpyObjectVersionIterator) *C.UpyVersionedObject {
	return (*C.UpyVersionedObject)(iteratorItem(it))
}

// upy_object_version_iterator_err reports why the iteration stopped (NULL: it ended).
//
//export upy_object_version_iterator_err
func upy_object_version_iterator_err(it *C.UpyObjectVersionIterator) *C.UplinkError {
	return iteratorErr(it)
}

// upy_free_object_version_iterator frees an iterator and stops its listing.
//
//export upy_free_object_version_iterator
func upy_free_object_version_iterator(it *C.UpyObjectVersionIterator) {
	freeHandle(unsafe.Pointer(it))
}

// upy_delete_objects deletes many keys or versions of one bucket in one request; the result has
// one item per distinct requested item (quiet leaves the successful ones out).
//
//export upy_delete_objects
func upy_delete_objects(project *C.UplinkProject, bucketName *C.uplink_const_char, items *C.UpyDeleteObjectsItem, count C.size_t, bypassGovernance, quiet C.bool) C.UpyDeleteObjectsResult {
	if items == nil && count > 0 {
		return C.UpyDeleteObjectsResult{error: newExtError(errorNull("items"))}
	}
	requested := make([]object.DeleteObjectsItem, 0, int(count))
	for _, item := range unsafe.Slice(items, int(count)) {
		key, err := required(item.object_key, "object_key")
		if err != nil {
			return C.UpyDeleteObjectsResult{error: newExtError(err)}
		}
		requested = append(requested, object.DeleteObjectsItem{ObjectKey: key, Version: versionArg(item.version, item.version_length)})
	}
	var results []object.DeleteObjectsResultItem
	err := extCall(project, bucketName, nil, func(ctx context.Context, p *uplink.Project, bucket, _ string) (err error) {
		results, err = object.DeleteObjects(ctx, p, bucket, requested, &object.DeleteObjectsOptions{
			BypassGovernanceRetention: bool(bypassGovernance), Quiet: bool(quiet),
		})
		return err
	})
	if err != nil {
		return C.UpyDeleteObjectsResult{error: newExtError(err)}
	}
	return deleteResultsToC(results)
}

func deleteResultsToC(results []object.DeleteObjectsResultItem) C.UpyDeleteObjectsResult {
	if len(results) == 0 {
		return C.UpyDeleteObjectsResult{}
	}
	out := (*C.UpyDeleteObjectsResultItem)(C.calloc(C.size_t(len(results)), C.sizeof_UpyDeleteObjectsResultItem))
	items := unsafe.Slice(out, len(results))
	for i, result := range results {
		c := &items[i]
		c.object_key = cString(result.ObjectKey)
		c.requested_version, c.requested_version_length = cVersion(result.RequestedVersion)
		c.status = C.int32_t(result.Status)
		if result.Removed != nil {
			c.removed = true
			c.removed_version, c.removed_version_length = cVersion(result.Removed.Version)
		}
		if result.Marker != nil {
			c.marker_created = true
			c.marker_version, c.marker_version_length = cVersion(result.Marker.Version)
		}
	}
	return C.UpyDeleteObjectsResult{items: out, items_count: C.size_t(len(results))}
}

// upy_free_delete_objects_result frees a DeleteObjects result: its items and its error.
//
//export upy_free_delete_objects_result
func upy_free_delete_objects_result(result C.UpyDeleteObjectsResult) {
	uplink_free_error(result.error)
	if result.items == nil {
		return
	}
	for _, item := range unsafe.Slice(result.items, int(result.items_count)) {
		C.free(unsafe.Pointer(item.object_key))
		C.free(unsafe.Pointer(item.requested_version))
		C.free(unsafe.Pointer(item.removed_version))
		C.free(unsafe.Pointer(item.marker_version))
	}
	C.free(unsafe.Pointer(result.items))
}
