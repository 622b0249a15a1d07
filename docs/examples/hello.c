/* hello.c: store an object and read its size back, with libuplinkc from C. */
#include <stdio.h>
#include <string.h>

#include "libuplinkc.h"

/* Prints an error (if any) and says whether there was one; freeing it stays with the caller. */
static int report(const char *what, UplinkError *error) {
    if (error == NULL) {
        return 0;
    }
    fprintf(stderr, "%s: error code %d: %s\n", what, error->code, error->message);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s ACCESS_GRANT\n", argv[0]);
        return 2;
    }
    UplinkAccessResult access = uplink_parse_access(argv[1]);
    if (report("parse access", access.error)) {
        uplink_free_access_result(access);
        return 1;
    }
    UplinkProjectResult project = uplink_open_project(access.access);
    if (report("open project", project.error)) {
        uplink_free_project_result(project);
        uplink_free_access_result(access);
        return 1;
    }

    UplinkBucketResult bucket = uplink_ensure_bucket(project.project, "from-c");
    int ok = !report("ensure bucket", bucket.error);
    uplink_free_bucket_result(bucket);   /* frees the bucket and the error, whichever it holds */

    const char *text = "hello from C";
    if (ok) {
        UplinkUploadResult upload = uplink_upload_object(project.project, "from-c", "hello.txt", NULL);
        ok = !report("upload", upload.error);
        if (ok) {
            UplinkWriteResult written = uplink_upload_write(upload.upload, (void *)text, strlen(text));
            ok = !report("write", written.error);
            uplink_free_write_result(written);
        }
        if (ok) {
            UplinkError *error = uplink_upload_commit(upload.upload);
            ok = !report("commit", error);
            uplink_free_error(error);
        }
        uplink_free_upload_result(upload);
    }
    if (ok) {
        UplinkObjectResult object = uplink_stat_object(project.project, "from-c", "hello.txt");
        ok = !report("stat", object.error);
        if (ok) {
            printf("%s: %lld bytes\n", object.object->key, (long long)object.object->system.content_length);
        }
        uplink_free_object_result(object);
    }

    UplinkError *error = uplink_close_project(project.project);
    report("close project", error);
    uplink_free_error(error);
    uplink_free_project_result(project);
    uplink_free_access_result(access);
    return ok ? 0 : 1;
}
