package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"io"
	"unsafe"

	"storj.io/uplink"
)

// download is the value behind an UplinkDownload handle; freed before it is closed, it is closed.
type download = locked[*uplink.Download]

// closeDownload closes d on a fresh goroutine (see runDetached).
func closeDownload(d *uplink.Download) (err error) {
	runDetached(func() { err = d.Close() })
	return err
}

// uplink_download_object starts a download of bucket_name/object_key, of the whole object or of
// the range the options give (offset, and length -1 for "to the end").
//
//export uplink_download_object
func uplink_download_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkDownloadOptions) C.UplinkDownloadResult {
	bucket, key, err := objectNames(bucketName, objectKey)
	if err != nil {
		return C.UplinkDownloadResult{error: newError(err)}
	}
	var opts *uplink.DownloadOptions
	if options != nil {
		opts = &uplink.DownloadOptions{Offset: int64(options.offset), Length: int64(options.length)}
	}
	handle, err := startChild(project, func(ctx context.Context, p *uplink.Project) (*uplink.Download, error) {
		return p.DownloadObject(ctx, bucket, key, opts)
	}, closeDownload)
	return C.UplinkDownloadResult{download: (*C.UplinkDownload)(handle), error: newError(err)}
}

// readFull reads into buf until it is full, the object ends or an error occurs. storj.io/uplink
// returns a few KiB per Read; filling the caller's buffer costs one call (and one goroutine hop)
// per buffer instead of one per few KiB.
func readFull(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// uplink_download_read fills the caller's buffer of length bytes from the download. It reports
// EOF together with the last bytes when the object ends inside this call (as upstream does
// whenever its reader returns both), and EOF with 0 bytes after.
//
//export uplink_download_read
func uplink_download_read(p *C.UplinkDownload, bytes unsafe.Pointer, length C.size_t) C.UplinkReadResult {
	return readResult(p, bytes, length, runDetached)
}

// readResult is uplink_download_read with the read run through hop (runDetached, or runInline on a
// goroutine that is already free).
func readResult(p *C.UplinkDownload, bytes unsafe.Pointer, length C.size_t, hop func(func())) C.UplinkReadResult {
	var n int
	err := withLocked(p, func(d *download) (err error) {
		if length == 0 {
			return nil
		}
		if bytes == nil {
			return errorNull("bytes")
		}
		hop(func() { n, err = readFull(d.value, cBufferSlice(bytes, length)) })
		return err
	})
	return C.UplinkReadResult{bytes_read: C.size_t(n), error: newError(err)}
}

// uplink_download_info returns the object being downloaded.
//
//export uplink_download_info
func uplink_download_info(p *C.UplinkDownload) C.UplinkObjectResult {
	return objectResult(infoOf[uplink.Object, *uplink.Download](p))
}

// uplink_close_download closes the download and lets go of its connections.
//
//export uplink_close_download
func uplink_close_download(p *C.UplinkDownload) *C.UplinkError {
	return endResult[*uplink.Download](p)
}

// uplink_free_read_result frees a read result's error.
//
//export uplink_free_read_result
func uplink_free_read_result(result C.UplinkReadResult) {
	uplink_free_error(result.error)
}

// uplink_free_download_result frees a download result: its error and its download handle (a
// download not closed is closed).
//
//export uplink_free_download_result
func uplink_free_download_result(result C.UplinkDownloadResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.download))
}
