/*
 * uplink_python's extensions to the uplink-c v1.14 API: object versioning, Object Lock,
 * conditional writes, batch deletes, object listings a page at a time and asyncio completions.
 * Every name here starts with upy_ / Upy / UPY_ so it can never collide with a present or
 * future uplink-c name.
 *
 * The conventions are those of uplink_definitions.h: handles are opaque numbers, every pointer
 * returned was malloc'ed by the library and is released with the matching free function named
 * beside its type, errors are UplinkError (codes from both headers), times are Unix seconds with
 * 0 meaning unset. Versions are opaque byte strings (16 bytes from a Storj satellite), passed
 * as pointer + length; a NULL or empty version means "the latest".
 */
#ifndef UPLINK_PYTHON_EXT_H
#define UPLINK_PYTHON_EXT_H

#include "uplink_definitions.h"

/* Error codes of UplinkError.code beyond uplink-c's. */
#define UPY_ERROR_OBJECT_PROTECTED 0x50        /* Object Lock (retention or legal hold) forbids it */
#define UPY_ERROR_OBJECT_LOCK_NOT_ENABLED 0x51 /* the bucket (or project) has no Object Lock */
#define UPY_ERROR_FAILED_PRECONDITION 0x52     /* e.g. If-None-Match: the key already exists */
#define UPY_ERROR_RETENTION_NOT_FOUND 0x53     /* the version has no retention */
#define UPY_ERROR_METHOD_NOT_ALLOWED 0x54      /* e.g. reading a delete marker */

/* Bucket versioning states (upy_get_bucket_versioning). */
#define UPY_VERSIONING_UNSUPPORTED 0
#define UPY_VERSIONING_UNVERSIONED 1
#define UPY_VERSIONING_ENABLED 2
#define UPY_VERSIONING_SUSPENDED 3

/* Retention modes. */
#define UPY_RETENTION_NONE 0
#define UPY_RETENTION_COMPLIANCE 1
#define UPY_RETENTION_GOVERNANCE 2

/* Legal hold as reported with an object: unknown (not reported), off, on. */
#define UPY_LEGAL_HOLD_UNKNOWN -1
#define UPY_LEGAL_HOLD_OFF 0
#define UPY_LEGAL_HOLD_ON 1

/* DeleteObjects item statuses. */
#define UPY_DELETE_INTERNAL_ERROR 0
#define UPY_DELETE_UNAUTHORIZED 1
#define UPY_DELETE_NOT_FOUND 2
#define UPY_DELETE_OK 3
#define UPY_DELETE_LOCKED 4

typedef struct UpyObjectVersionIterator { size_t _handle; } UpyObjectVersionIterator;

typedef struct UpyRetention {
    int32_t mode; /* UPY_RETENTION_* */
    int64_t retain_until;
} UpyRetention;

/* An object with its version. object is a whole UplinkObject (freed with the version). */
typedef struct UpyVersionedObject {
    UplinkObject *object;
    uint8_t *version;
    size_t version_length;
    bool is_versioned;
    bool is_delete_marker;
    bool is_latest;
    UpyRetention retention; /* mode UPY_RETENTION_NONE when none or not reported */
    int32_t legal_hold;     /* UPY_LEGAL_HOLD_* */
} UpyVersionedObject;

/* Free with upy_free_versioned_object_result. object is NULL when nothing came back (e.g. a
 * delete without read permission). */
typedef struct UpyVersionedObjectResult {
    UpyVersionedObject *object;
    UplinkError *error;
} UpyVersionedObjectResult;

/* Free with upy_free_int_result. */
typedef struct UpyIntResult {
    int64_t value;
    UplinkError *error;
} UpyIntResult;

/* Free with upy_free_retention_result. */
typedef struct UpyRetentionResult {
    UpyRetention retention;
    UplinkError *error;
} UpyRetentionResult;

/* A bucket's Object Lock configuration: default retention for new objects (mode
 * UPY_RETENTION_NONE: none), in days or in years (exactly one of them positive). */
typedef struct UpyObjectLockConfiguration {
    bool enabled;
    int32_t default_mode;
    int32_t default_days;
    int32_t default_years;
} UpyObjectLockConfiguration;

/* Free with upy_free_object_lock_configuration_result. */
typedef struct UpyObjectLockConfigurationResult {
    UpyObjectLockConfiguration configuration;
    UplinkError *error;
} UpyObjectLockConfigurationResult;

/* Options of upy_upload_object. if_none_match refuses the commit when the key exists. */
typedef struct UpyUploadOptions {
    int64_t expires;
    UpyRetention retention;
    bool legal_hold;
    bool if_none_match;
} UpyUploadOptions;

typedef struct UpyListObjectVersionsOptions {
    const char *prefix;
    const char *cursor;
    uint8_t *version_cursor;
    size_t version_cursor_length;
    bool recursive;
    bool system;
    bool custom;
} UpyListObjectVersionsOptions;

/* One item of upy_delete_objects: a key, and a version or none (the latest). */
typedef struct UpyDeleteObjectsItem {
    const char *object_key;
    uint8_t *version;
    size_t version_length;
} UpyDeleteObjectsItem;

/* What happened to one item: the version removed and the delete marker written, if any. */
typedef struct UpyDeleteObjectsResultItem {
    char *object_key;
    uint8_t *requested_version;
    size_t requested_version_length;
    int32_t status; /* UPY_DELETE_* */
    bool removed;
    uint8_t *removed_version;
    size_t removed_version_length;
    bool marker_created;
    uint8_t *marker_version;
    size_t marker_version_length;
} UpyDeleteObjectsResultItem;

/* Free with upy_free_delete_objects_result. */
typedef struct UpyDeleteObjectsResult {
    UpyDeleteObjectsResultItem *items;
    size_t items_count;
    UplinkError *error;
} UpyDeleteObjectsResult;

/* A page of an object listing (upy_object_iterator_next_array): objects[0..count) are whole
 * UplinkObjects, laid out in one allocation of bytes bytes that also holds every key and custom
 * metadata entry they point at. Free with upy_free_object_array. */
typedef struct UpyObjectArray {
    UplinkObject *objects;
    size_t count;
    size_t bytes;
    UplinkError *error;
} UpyObjectArray;

/* A page of a listing of versions (upy_object_version_iterator_next_page): items[0..count) are
 * whole UpyVersionedObjects. Free with upy_free_object_version_page. */
typedef struct UpyObjectVersionPage {
    UpyVersionedObject **items;
    size_t count;
    UplinkError *error;
} UpyObjectVersionPage;

/* asyncio completions (upy_async_*): an event loop starts a call without blocking and takes its
 * result later from a queue whose pipe it watches.
 *
 * upy_async_queue_new makes a queue; each twin upy_async_X(queue, token, <the arguments of X>)
 * starts X on a goroutine of its own and returns NULL at once (an error, and nothing started,
 * when the queue is NULL, unknown or freed). When X finishes, {token, result} joins the queue's
 * finished calls and the queue's pipe (fd) becomes readable if it was not: one byte however many
 * calls finish, so the loop wakes once and takes them in batches with upy_async_queue_take,
 * oldest first. take drains the pipe when it leaves the queue empty, so fd is readable exactly
 * while finished calls wait. The token is the caller's, never read by the library.
 *
 * A twin copies the handle struct its handle argument points to (a project, upload or download)
 * before it returns: that struct may be freed meanwhile (the call then ends with
 * UPLINK_ERROR_INVALID_HANDLE). Strings, buffers, versions and options are NOT copied: the caller
 * keeps them valid and unchanged until the call's completion has been queued, and a read's
 * buffer is written until then.
 *
 * upy_free_async_queue_result never waits for calls in flight: it frees the finished calls not
 * taken (as their mirrored function's results are freed), and calls that finish later free their
 * own results. */
typedef struct UpyAsyncQueue { size_t _handle; } UpyAsyncQueue;

/* Free with upy_free_async_queue_result. fd: read end of the queue's pipe (non-blocking,
 * close-on-exec), readable while finished calls wait to be taken. */
typedef struct UpyAsyncQueueResult {
    UpyAsyncQueue *queue;
    int64_t fd;
    UplinkError *error;
} UpyAsyncQueueResult;

/* One finished call: the token it was started with, and its result. value is the first word of
 * the mirrored function's result struct (a pointer such as UplinkObject *, or a count such as
 * bytes_read), 0 for a function that returns a bare UplinkError *; error is the result's error.
 * Every such result struct is {one word; UplinkError *error}, so value and error have its layout.
 * The caller owns both and frees them as the mirrored function's result (e.g.
 * uplink_free_bucket_result). */
typedef struct UpyCompletion {
    uint64_t token;
    uintptr_t value;
    UplinkError *error;
} UpyCompletion;

#endif
