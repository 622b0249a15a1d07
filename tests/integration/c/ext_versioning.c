/*
 * The upy_ extensions of libuplinkc (uplink_python_ext.h), called from C against the local
 * network: versioning, Object Lock, If-None-Match and DeleteObjects, every result freed with its
 * free function; at the end the library's handle table must be empty.
 *
 * Usage: ext_versioning ACCESS_GRANT. Prints "ok" and exits 0, or names the first failed check.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libuplinkc.h"

static int failures = 0;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fprintf(stderr, "\n");                                        \
            failures++;                                                   \
        }                                                                 \
    } while (0)

/* The code of err (0 for none); frees err. */
static int code_of(UplinkError *err) {
    int code = err ? err->code : 0;
    if (err && err->code != 0 && getenv("EXT_VERBOSE")) {
        fprintf(stderr, "error %d: %s\n", err->code, err->message ? err->message : "");
    }
    uplink_free_error(err);
    return code;
}

typedef struct Version {
    uint8_t bytes[64];
    size_t length;
} Version;

/* Uploads data with options, commits with upy_upload_commit and returns the commit's code;
 * the version written goes to *version (if not NULL). */
static int put(UplinkProject *project, const char *bucket, const char *key, const char *data,
               UpyUploadOptions *options, Version *version) {
    UplinkUploadResult upload = upy_upload_object(project, bucket, key, options);
    if (upload.error) {
        int code = upload.error->code;
        uplink_free_upload_result(upload);
        return code;
    }
    UplinkWriteResult written = uplink_upload_write(upload.upload, (void *)data, strlen(data));
    CHECK(!written.error && written.bytes_written == strlen(data), "write %s", key);
    uplink_free_write_result(written);
    int code = code_of(upy_upload_commit(upload.upload));
    if (code == 0 && version) {
        UpyVersionedObjectResult info = upy_upload_info(upload.upload);
        CHECK(!info.error && info.object, "upload info %s", key);
        if (info.object) {
            CHECK(strcmp(info.object->object->key, key) == 0, "upload info key %s", info.object->object->key);
            CHECK(info.object->version_length <= sizeof(version->bytes), "version length");
            version->length = info.object->version_length;
            if (version->length) {
                memcpy(version->bytes, info.object->version, version->length);
            }
        }
        upy_free_versioned_object_result(info);
    }
    uplink_free_upload_result(upload);
    return code;
}

/* Downloads a version (NULL: latest) into buf, returns the bytes read or -code on error. */
static long get(UplinkProject *project, const char *bucket, const char *key, const Version *version,
                char *buf, size_t size) {
    UplinkDownloadResult download = upy_download_object(project, bucket, key, version ? (uint8_t *)version->bytes : NULL,
                                                        version ? version->length : 0, NULL);
    if (download.error) {
        long code = download.error->code;
        uplink_free_download_result(download);
        return -code;
    }
    size_t total = 0;
    for (;;) {
        UplinkReadResult read = uplink_download_read(download.download, buf + total, size - total);
        total += read.bytes_read;
        int end = read.error != NULL;
        CHECK(!read.error || read.error->code == EOF, "read error %d", read.error ? read.error->code : 0);
        uplink_free_read_result(read);
        if (end || total == size) {
            break;
        }
    }
    CHECK(code_of(uplink_close_download(download.download)) == 0, "close download");
    uplink_free_download_result(download);
    return (long)total;
}

static int stat_code(UplinkProject *project, const char *bucket, const char *key, const Version *version) {
    UpyVersionedObjectResult result = upy_stat_object(project, bucket, key, version ? (uint8_t *)version->bytes : NULL,
                                                      version ? version->length : 0);
    int code = result.error ? result.error->code : 0;
    upy_free_versioned_object_result(result);
    return code;
}

static int delete_version(UplinkProject *project, const char *bucket, const char *key, const Version *version,
                          bool bypass, bool *marker) {
    UpyVersionedObjectResult result = upy_delete_object(project, bucket, key, version ? (uint8_t *)version->bytes : NULL,
                                                        version ? version->length : 0, bypass);
    int code = result.error ? result.error->code : 0;
    if (marker) {
        *marker = result.object && result.object->is_delete_marker;
    }
    upy_free_versioned_object_result(result);
    return code;
}

static void versioning(UplinkProject *project) {
    UplinkBucketResult bucket = upy_create_bucket(project, "versions", false);
    CHECK(!bucket.error && bucket.bucket && strcmp(bucket.bucket->name, "versions") == 0, "create bucket");
    uplink_free_bucket_result(bucket);

    UpyIntResult state = upy_get_bucket_versioning(project, "versions");
    CHECK(!state.error && state.value == UPY_VERSIONING_UNVERSIONED, "state %lld", (long long)state.value);
    upy_free_int_result(state);
    CHECK(code_of(upy_set_bucket_versioning(project, "versions", true)) == 0, "enable versioning");
    state = upy_get_bucket_versioning(project, "versions");
    CHECK(!state.error && state.value == UPY_VERSIONING_ENABLED, "state %lld", (long long)state.value);
    upy_free_int_result(state);

    Version v1 = {0}, v2 = {0};
    CHECK(put(project, "versions", "key", "first bytes", NULL, &v1) == 0, "upload 1");
    CHECK(put(project, "versions", "key", "second", NULL, &v2) == 0, "upload 2");
    CHECK(v1.length == 16 && v2.length == 16 && memcmp(v1.bytes, v2.bytes, 16) != 0, "two distinct versions");

    char buf[64];
    long n = get(project, "versions", "key", &v1, buf, sizeof buf);
    CHECK(n == 11 && memcmp(buf, "first bytes", 11) == 0, "version 1 reads back (%ld)", n);
    n = get(project, "versions", "key", &v2, buf, sizeof buf);
    CHECK(n == 6 && memcmp(buf, "second", 6) == 0, "version 2 reads back (%ld)", n);

    bool marker = false;
    CHECK(delete_version(project, "versions", "key", NULL, false, &marker) == 0 && marker, "delete writes a marker");
    CHECK(stat_code(project, "versions", "key", NULL) == UPLINK_ERROR_OBJECT_NOT_FOUND, "latest is gone");
    CHECK(stat_code(project, "versions", "key", &v1) == 0, "version 1 still there");

    UpyListObjectVersionsOptions options = {.recursive = true, .system = true};
    UpyObjectVersionIterator *it = upy_list_object_versions(project, "versions", &options);
    int count = 0, markers = 0;
    Version marker_version = {0};
    while (upy_object_version_iterator_next(it)) {
        UpyVersionedObject *item = upy_object_version_iterator_item(it);
        CHECK(item && strcmp(item->object->key, "key") == 0, "listed key");
        if (item && item->is_delete_marker) {
            markers++;
            CHECK(count == 0 && item->is_latest, "the marker comes first and is the latest");
            marker_version.length = item->version_length;
            memcpy(marker_version.bytes, item->version, item->version_length);
        }
        count++;
        upy_free_versioned_object(item);
    }
    CHECK(code_of(upy_object_version_iterator_err(it)) == 0, "listing error");
    upy_free_object_version_iterator(it);
    CHECK(count == 3 && markers == 1, "listing: %d versions, %d markers", count, markers);

    CHECK(stat_code(project, "versions", "key", &marker_version) == UPY_ERROR_METHOD_NOT_ALLOWED, "a marker cannot be read");
    CHECK(delete_version(project, "versions", "key", &marker_version, false, NULL) == 0, "delete the marker");
    n = get(project, "versions", "key", NULL, buf, sizeof buf);
    CHECK(n == 6 && memcmp(buf, "second", 6) == 0, "latest restored (%ld)", n);

    /* Conditional write. */
    UpyUploadOptions if_none_match = {.if_none_match = true};
    CHECK(put(project, "versions", "key", "third", &if_none_match, NULL) == UPY_ERROR_FAILED_PRECONDITION, "If-None-Match");
    CHECK(put(project, "versions", "new-key", "x", &if_none_match, NULL) == 0, "If-None-Match on a new key");
}

static void object_lock(UplinkProject *project) {
    UplinkBucketResult bucket = upy_create_bucket(project, "locked", true);
    CHECK(!bucket.error, "create Object Lock bucket");
    uplink_free_bucket_result(bucket);
    UpyIntResult state = upy_get_bucket_versioning(project, "locked");
    CHECK(!state.error && state.value == UPY_VERSIONING_ENABLED, "Object Lock buckets are versioned");
    upy_free_int_result(state);

    int64_t until = (int64_t)time(NULL) + 3600;
    UpyUploadOptions compliance = {.retention = {UPY_RETENTION_COMPLIANCE, until}};
    Version kept = {0};
    CHECK(put(project, "locked", "kept", "data", &compliance, &kept) == 0, "upload with retention");
    CHECK(delete_version(project, "locked", "kept", &kept, true, NULL) == UPY_ERROR_OBJECT_PROTECTED, "compliance protects");

    UpyRetentionResult retention = upy_get_object_retention(project, "locked", "kept", kept.bytes, kept.length);
    CHECK(!retention.error && retention.retention.mode == UPY_RETENTION_COMPLIANCE && retention.retention.retain_until == until,
          "retention read back");
    upy_free_retention_result(retention);
    UpyRetention shorter = {UPY_RETENTION_COMPLIANCE, until - 60};
    CHECK(code_of(upy_set_object_retention(project, "locked", "kept", kept.bytes, kept.length, shorter, true)) ==
              UPY_ERROR_OBJECT_PROTECTED, "compliance cannot be shortened");

    Version held = {0};
    CHECK(put(project, "locked", "held", "data", NULL, &held) == 0, "upload");
    retention = upy_get_object_retention(project, "locked", "held", held.bytes, held.length);
    CHECK(retention.error && retention.error->code == UPY_ERROR_RETENTION_NOT_FOUND, "no retention");
    upy_free_retention_result(retention);
    CHECK(code_of(upy_set_object_legal_hold(project, "locked", "held", held.bytes, held.length, true)) == 0, "hold");
    UpyIntResult hold = upy_get_object_legal_hold(project, "locked", "held", held.bytes, held.length);
    CHECK(!hold.error && hold.value == 1, "hold read back");
    upy_free_int_result(hold);
    CHECK(delete_version(project, "locked", "held", &held, true, NULL) == UPY_ERROR_OBJECT_PROTECTED, "hold protects");
    CHECK(code_of(upy_set_object_legal_hold(project, "locked", "held", held.bytes, held.length, false)) == 0, "lift");
    CHECK(delete_version(project, "locked", "held", &held, false, NULL) == 0, "delete after lifting the hold");

    UpyObjectLockConfiguration config = {.enabled = true, .default_mode = UPY_RETENTION_GOVERNANCE, .default_days = 3};
    CHECK(code_of(upy_set_bucket_object_lock_configuration(project, "locked", &config)) == 0, "set configuration");
    UpyObjectLockConfigurationResult got = upy_get_bucket_object_lock_configuration(project, "locked");
    CHECK(!got.error && got.configuration.enabled && got.configuration.default_mode == UPY_RETENTION_GOVERNANCE &&
              got.configuration.default_days == 3 && got.configuration.default_years == 0, "configuration read back");
    upy_free_object_lock_configuration_result(got);
    Version defaulted = {0};
    CHECK(put(project, "locked", "defaulted", "data", NULL, &defaulted) == 0, "upload under default retention");
    retention = upy_get_object_retention(project, "locked", "defaulted", defaulted.bytes, defaulted.length);
    CHECK(!retention.error && retention.retention.mode == UPY_RETENTION_GOVERNANCE &&
              retention.retention.retain_until >= (int64_t)time(NULL) + 3 * 86400 - 60, "default retention applied");
    upy_free_retention_result(retention);
    CHECK(delete_version(project, "locked", "defaulted", &defaulted, false, NULL) == UPY_ERROR_OBJECT_PROTECTED, "governance");
    CHECK(delete_version(project, "locked", "defaulted", &defaulted, true, NULL) == 0, "governance bypassed");

    /* A bucket without Object Lock. */
    got = upy_get_bucket_object_lock_configuration(project, "versions");
    CHECK(got.error && got.error->code == UPY_ERROR_OBJECT_LOCK_NOT_ENABLED, "no Object Lock: configuration");
    upy_free_object_lock_configuration_result(got);
    CHECK(code_of(upy_set_object_legal_hold(project, "versions", "key", NULL, 0, true)) == UPY_ERROR_OBJECT_LOCK_NOT_ENABLED,
          "no Object Lock: legal hold");
    CHECK(put(project, "versions", "retained", "x", &compliance, NULL) == UPY_ERROR_OBJECT_LOCK_NOT_ENABLED,
          "no Object Lock: upload with retention");
}

static void delete_objects(UplinkProject *project) {
    UplinkBucketResult bucket = upy_create_bucket(project, "batch", false);
    CHECK(!bucket.error, "create bucket");
    uplink_free_bucket_result(bucket);
    CHECK(put(project, "batch", "a", "a", NULL, NULL) == 0, "upload a");
    CHECK(put(project, "batch", "b", "b", NULL, NULL) == 0, "upload b");
    UpyDeleteObjectsItem items[] = {{"a", NULL, 0}, {"b", NULL, 0}, {"missing", NULL, 0}};
    UpyDeleteObjectsResult result = upy_delete_objects(project, "batch", items, 3, false, false);
    CHECK(!result.error && result.items_count == 3, "three results");
    for (size_t i = 0; i < result.items_count; i++) {
        UpyDeleteObjectsResultItem *item = &result.items[i];
        int missing = strcmp(item->object_key, "missing") == 0;
        CHECK(item->status == (missing ? UPY_DELETE_NOT_FOUND : UPY_DELETE_OK) && item->removed == !missing,
              "item %s: status %d", item->object_key, item->status);
    }
    upy_free_delete_objects_result(result);

    result = upy_delete_objects(project, "batch", NULL, 0, false, false);
    CHECK(result.error && result.items_count == 0, "no items is an error");
    upy_free_delete_objects_result(result);
    UpyDeleteObjectsItem null_key[] = {{NULL, NULL, 0}};
    result = upy_delete_objects(project, "batch", null_key, 1, false, false);
    CHECK(result.error && result.error->code == UPLINK_ERROR_INTERNAL, "NULL key");
    upy_free_delete_objects_result(result);
}

static void bad_arguments(UplinkProject *project) {
    UpyVersionedObjectResult stat = upy_stat_object(project, NULL, "key", NULL, 0);
    CHECK(stat.error && !stat.object, "NULL bucket");
    upy_free_versioned_object_result(stat);
    UplinkProject bogus = {123456789};
    UpyIntResult state = upy_get_bucket_versioning(&bogus, "versions");
    CHECK(state.error && state.error->code == UPLINK_ERROR_INVALID_HANDLE, "invalid handle");
    upy_free_int_result(state);
    UpyObjectVersionIterator *it = upy_list_object_versions(project, NULL, NULL);
    CHECK(!upy_object_version_iterator_next(it), "listing without bucket");
    CHECK(upy_object_version_iterator_item(it) == NULL, "no item");
    CHECK(code_of(upy_object_version_iterator_err(it)) == UPLINK_ERROR_INTERNAL, "listing error");
    upy_free_object_version_iterator(it);
    CHECK(code_of(upy_set_bucket_object_lock_configuration(project, "locked", NULL)) == UPLINK_ERROR_INTERNAL, "NULL config");
    /* Free functions accept NULL parts. */
    upy_free_versioned_object(NULL);
    upy_free_versioned_object_result((UpyVersionedObjectResult){0});
    upy_free_delete_objects_result((UpyDeleteObjectsResult){0});
    upy_free_object_version_iterator(NULL);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s ACCESS_GRANT\n", argv[0]);
        return 2;
    }
    UplinkAccessResult access = uplink_parse_access(argv[1]);
    if (access.error) {
        fprintf(stderr, "parse access: %s\n", access.error->message);
        return 1;
    }
    UplinkProjectResult project = uplink_open_project(access.access);
    if (project.error) {
        fprintf(stderr, "open project: %s\n", project.error->message);
        return 1;
    }
    versioning(project.project);
    object_lock(project.project);
    delete_objects(project.project);
    bad_arguments(project.project);
    CHECK(code_of(uplink_close_project(project.project)) == 0, "close project");
    uplink_free_project_result(project);
    uplink_free_access_result(access);
    CHECK(uplink_internal_UniverseIsEmpty(), "handles left in the table");
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
