/* A C test double for the calls of one upload/download round trip, compiled by test_c_abi.py against
 * declarations generated from the ctypes structs (pointers there are void *, hence the casts).
 * It checks the calling convention end to end: structs returned and passed by value, addresses passed
 * as void *, NULL option pointers, EOF as code -1 with a NULL message, and frees counted per allocation. */
#include <string.h>

static long live;                       /* allocations not yet freed: the "universe" */
static unsigned char stored[1 << 20];   /* the one object's data */
static size_t stored_length, read_position;
static UplinkCustomMetadataEntry stored_entries[8];
static size_t stored_count;
static char last_user_agent[64];
static long last_dial_timeout = -1;

static void *counted(size_t size) { live++; return calloc(1, size); }
static void release(void *p) { if (p) { live--; free(p); } }
static void *handle(size_t value) { UplinkHandle *h = counted(sizeof *h); h->_handle = value; return h; }
static char *copy(const char *data, size_t length) { char *p = counted(length + 1); memcpy(p, data, length); return p; }
static UplinkError *error(int32_t code, const char *message) {
    UplinkError *e = counted(sizeof *e);
    e->code = code;
    e->message = message ? copy(message, strlen(message)) : NULL;
    return e;
}

void uplink_free_error(void *p) { UplinkError *e = p; if (e) { release(e->message); release(e); } }
bool uplink_internal_UniverseIsEmpty(void) { return live == 0; }
long stub_live(void) { return live; }
const char *stub_last_user_agent(void) { return last_user_agent; }
long stub_last_dial_timeout(void) { return last_dial_timeout; }

UplinkAccessResult uplink_parse_access(const char *serialized) {
    UplinkAccessResult r = {0};
    if (strcmp(serialized, "refused") == 0) r.error = error(0x09, "access refused by stub");
    else r.access = handle(1);
    return r;
}
void uplink_free_access_result(UplinkAccessResult r) { uplink_free_error(r.error); release(r.access); }

UplinkStringResult uplink_access_serialize(void *access) {
    UplinkStringResult r = {0};
    r.string = copy("1SerializedByStub", 17);
    return r;
}
void uplink_free_string_result(UplinkStringResult r) { uplink_free_error(r.error); release(r.string); }

UplinkProjectResult uplink_config_open_project(UplinkConfig config, void *access) {
    UplinkProjectResult r = {0};
    strncpy(last_user_agent, config.user_agent ? config.user_agent : "", sizeof last_user_agent - 1);
    last_dial_timeout = config.dial_timeout_milliseconds;
    r.project = handle(2);
    return r;
}
void *uplink_close_project(void *project) { return NULL; }
void uplink_free_project_result(UplinkProjectResult r) { uplink_free_error(r.error); release(r.project); }

UplinkUploadResult uplink_upload_object(void *project, const char *bucket, const char *key, void *options) {
    UplinkUploadResult r = {0};
    if (options != NULL) r.error = error(0x02, "stub expects NULL upload options");
    else { r.upload = handle(3); stored_length = 0; }
    return r;
}
UplinkWriteResult uplink_upload_write(void *upload, void *bytes, size_t length) {
    UplinkWriteResult r = {0};
    size_t n = length > 1000 ? 1000 : length;   /* short writes: the binding must continue them */
    if (stored_length + n > sizeof stored) { r.error = error(0x07, "stub storage full"); return r; }
    memcpy(stored + stored_length, bytes, n);
    stored_length += n;
    r.bytes_written = n;
    return r;
}
void uplink_free_write_result(UplinkWriteResult r) { uplink_free_error(r.error); }
void *uplink_upload_set_custom_metadata(void *upload, UplinkCustomMetadata metadata) {
    UplinkCustomMetadataEntry *entries = metadata.entries;
    if (metadata.count > 8) return error(0x02, "too many entries for the stub");
    for (size_t i = 0; i < metadata.count; i++) {
        stored_entries[i].key = malloc(entries[i].key_length + 1);
        memcpy(stored_entries[i].key, entries[i].key, entries[i].key_length);
        stored_entries[i].key_length = entries[i].key_length;
        stored_entries[i].value = malloc(entries[i].value_length + 1);
        memcpy(stored_entries[i].value, entries[i].value, entries[i].value_length);
        stored_entries[i].value_length = entries[i].value_length;
    }
    stored_count = metadata.count;
    return NULL;
}
void *uplink_upload_commit(void *upload) { return NULL; }
void uplink_free_upload_result(UplinkUploadResult r) { uplink_free_error(r.error); release(r.upload); }

UplinkObjectResult uplink_stat_object(void *project, const char *bucket, const char *key) {
    UplinkObjectResult r = {0};
    UplinkObject *o = counted(sizeof *o);
    o->key = copy(key, strlen(key));
    o->system.content_length = (int64_t)stored_length;
    o->custom.entries = stored_entries;    /* owned by the stub, not freed with the object */
    o->custom.count = stored_count;
    r.object = o;
    return r;
}
void uplink_free_object_result(UplinkObjectResult r) {
    UplinkObject *o = r.object;
    uplink_free_error(r.error);
    if (o) { release(o->key); release(o); }
}

UplinkDownloadResult uplink_download_object(void *project, const char *bucket, const char *key, void *options) {
    UplinkDownloadResult r = {0};
    UplinkDownloadOptions *range = options;
    read_position = range ? (size_t)range->offset : 0;
    r.download = handle(4);
    return r;
}
UplinkReadResult uplink_download_read(void *download, void *bytes, size_t length) {
    UplinkReadResult r = {0};
    size_t left = stored_length - read_position, n = length < left ? length : left;
    if (n > 777) n = 777;                   /* short reads too */
    memcpy(bytes, stored + read_position, n);
    read_position += n;
    r.bytes_read = n;
    if (read_position == stored_length) r.error = error(-1, NULL);
    return r;
}
void uplink_free_read_result(UplinkReadResult r) { uplink_free_error(r.error); }
UplinkObjectResult uplink_download_info(void *download) {
    UplinkObjectResult r = {0};
    UplinkObject *o = counted(sizeof *o);
    o->key = copy("key", 3);
    o->system.content_length = (int64_t)stored_length;   /* the whole object, as uplink's Download.Info */
    r.object = o;
    return r;
}
void *uplink_close_download(void *download) { return NULL; }
void uplink_free_download_result(UplinkDownloadResult r) { uplink_free_error(r.error); release(r.download); }
