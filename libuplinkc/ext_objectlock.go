package main

// #include "uplink_python_ext.h"
import "C"

import (
	"context"
	_ "unsafe" // for go:linkname

	"storj.io/common/storj"
	"storj.io/uplink"
	privateBucket "storj.io/uplink/private/bucket"
	"storj.io/uplink/private/metaclient"
	"storj.io/uplink/private/object"
	"storj.io/uplink/private/storage/streams"
)

// storj.io/uplink's own hooks for its private packages (it marks them for linkname): an
// upload with Object Lock and If-None-Match, a download of a version, an upload's stream
// metadata. They give ordinary *uplink.Upload and *uplink.Download values, so the extension's
// uploads and downloads are the library's usual handles.

//go:linkname uploadObjectWithRetention storj.io/uplink.uploadObjectWithRetention
func uploadObjectWithRetention(ctx context.Context, project *uplink.Project, bucket, key string, options *metaclient.UploadOptions) (*uplink.Upload, error)

//go:linkname downloadObjectWithVersion storj.io/uplink.downloadObjectWithVersion
func downloadObjectWithVersion(ctx context.Context, project *uplink.Project, bucket, key string, version []byte, options *metaclient.DownloadOptions) (*uplink.Download, error)

//go:linkname upload_getStreamMeta storj.io/uplink.upload_getStreamMeta
func upload_getStreamMeta(u *uplink.Upload) *streams.Meta

func storjRetentionMode(mode C.int32_t) storj.RetentionMode { return storj.RetentionMode(mode) }

func retentionFromC(r C.UpyRetention) metaclient.Retention {
	return metaclient.Retention{Mode: storjRetentionMode(r.mode), RetainUntil: timeOf(r.retain_until)}
}

// upy_set_object_retention sets a version's retention (mode UPY_RETENTION_NONE removes it).
// Compliance retention can only be extended; governance can be shortened or removed only with
// bypass_governance.
//
//export upy_set_object_retention
func upy_set_object_retention(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t, retention C.UpyRetention, bypassGovernance C.bool) *C.UplinkError {
	v := versionArg(version, versionLength)
	return newExtError(objectExtCall(project, bucketName, objectKey, func(ctx context.Context, p *uplink.Project, bucket, key string) error {
		return object.SetObjectRetention(ctx, p, bucket, key, v, retentionFromC(retention),
			&object.SetObjectRetentionOptions{BypassGovernanceRetention: bool(bypassGovernance)})
	}))
}

// upy_get_object_retention returns a version's retention (UPY_ERROR_RETENTION_NOT_FOUND: none).
//
//export upy_get_object_retention
func upy_get_object_retention(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t) C.UpyRetentionResult {
	retention, err := versionCall(project, bucketName, objectKey, version, versionLength, object.GetObjectRetention)
	if err != nil {
		return C.UpyRetentionResult{error: newExtError(err)}
	}
	return C.UpyRetentionResult{retention: retentionToC(retention)}
}

// upy_free_retention_result frees the error of an UpyRetentionResult.
//
//export upy_free_retention_result
func upy_free_retention_result(result C.UpyRetentionResult) {
	uplink_free_error(result.error)
}

// upy_set_object_legal_hold places (enabled) or lifts a version's legal hold.
//
//export upy_set_object_legal_hold
func upy_set_object_legal_hold(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t, enabled C.bool) *C.UplinkError {
	v := versionArg(version, versionLength)
	return newExtError(objectExtCall(project, bucketName, objectKey, func(ctx context.Context, p *uplink.Project, bucket, key string) error {
		return object.SetObjectLegalHold(ctx, p, bucket, key, v, bool(enabled))
	}))
}

// upy_get_object_legal_hold reports a version's legal hold: value 1 on, 0 off.
//
//export upy_get_object_legal_hold
func upy_get_object_legal_hold(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t) C.UpyIntResult {
	held, err := versionCall(project, bucketName, objectKey, version, versionLength, object.GetObjectLegalHold)
	result := C.UpyIntResult{error: newExtError(err)}
	if held {
		result.value = 1
	}
	return result
}

// upy_get_bucket_object_lock_configuration returns an Object Lock bucket's configuration.
//
//export upy_get_bucket_object_lock_configuration
func upy_get_bucket_object_lock_configuration(project *C.UplinkProject, bucketName *C.uplink_const_char) C.UpyObjectLockConfigurationResult {
	var config *metaclient.BucketObjectLockConfiguration
	err := extCall(project, bucketName, nil, func(ctx context.Context, p *uplink.Project, bucket, _ string) (err error) {
		config, err = privateBucket.GetBucketObjectLockConfiguration(ctx, p, bucket)
		return err
	})
	if err != nil {
		return C.UpyObjectLockConfigurationResult{error: newExtError(err)}
	}
	var c C.UpyObjectLockConfiguration
	if config != nil {
		c.enabled = C.bool(config.Enabled)
		if r := config.DefaultRetention; r != nil {
			c.default_mode, c.default_days, c.default_years = C.int32_t(r.Mode), C.int32_t(r.Days), C.int32_t(r.Years)
		}
	}
	return C.UpyObjectLockConfigurationResult{configuration: c}
}

// upy_free_object_lock_configuration_result frees the error of the result.
//
//export upy_free_object_lock_configuration_result
func upy_free_object_lock_configuration_result(result C.UpyObjectLockConfigurationResult) {
	uplink_free_error(result.error)
}

// upy_set_bucket_object_lock_configuration sets (or, default_mode UPY_RETENTION_NONE, clears) an
// Object Lock bucket's default retention; enabled must stay true.
//
//export upy_set_bucket_object_lock_configuration
func upy_set_bucket_object_lock_configuration(project *C.UplinkProject, bucketName *C.uplink_const_char, configuration *C.UpyObjectLockConfiguration) *C.UplinkError {
	if configuration == nil {
		return newExtError(errorNull("configuration"))
	}
	config := &metaclient.BucketObjectLockConfiguration{Enabled: bool(configuration.enabled)}
	if configuration.default_mode != C.UPY_RETENTION_NONE {
		config.DefaultRetention = &metaclient.DefaultRetention{
			Mode:  storjRetentionMode(configuration.default_mode),
			Days:  int32(configuration.default_days),
			Years: int32(configuration.default_years),
		}
	}
	return newExtError(extCall(project, bucketName, nil, func(ctx context.Context, p *uplink.Project, bucket, _ string) error {
		return privateBucket.SetBucketObjectLockConfiguration(ctx, p, bucket, config)
	}))
}
