package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"io"
	"sync"
	"unsafe"

	"storj.io/uplink"
)

// download is the value behind an UplinkDownload handle. mu serializes calls on it: two threads
// reading one download must take turns, never race inside storj.io/uplink's reader.
type download struct {
	mu       sync.Mutex
	cancel   context.CancelFunc
	download *uplink.Download
	closed   bool
}

func getDownload(p *C.UplinkDownload) (*download, error) {
	if p == nil {
		return nil, errorNull("download")
	}
	return lookup[*download](universe, handleOf(unsafe.Pointer(p)), "UplinkDownload")
}

func (d *download) close() error {
	var err error
	runDetached(func() { err = d.download.Close() })
	d.closed = true
	return err
}

// release closes a download freed without uplink_close_download.
func (d *download) release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		_ = d.close()
	}
	d.cancel()
}

//export uplink_download_object
func uplink_download_object(project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkDownloadOptions) C.UplinkDownloadResult {
	bucket, err1 := required(bucketName, "bucket_name")
	key, err2 := required(objectKey, "object_key")
	if err := firstError(err1, err2); err != nil {
		return C.UplinkDownloadResult{error: newError(err)}
	}
	var opts *uplink.DownloadOptions
	if options != nil {
		opts = &uplink.DownloadOptions{Offset: int64(options.offset), Length: int64(options.length)}
	}
	var value *download
	err := withProject(project, func(ctx context.Context, p *uplink.Project) error {
		ctx, cancel := context.WithCancel(ctx)
		started, err := p.DownloadObject(ctx, bucket, key, opts)
		if err != nil {
			cancel()
			return err
		}
		value = &download{cancel: cancel, download: started}
		return nil
	})
	if err != nil {
		return C.UplinkDownloadResult{error: newError(err)}
	}
	return C.UplinkDownloadResult{download: (*C.UplinkDownload)(newHandle(value))}
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

// uplink_download_read reports EOF together with the last bytes when the object ends inside
// this call (as upstream does whenever its reader returns both), and EOF with 0 bytes after.
//
//export uplink_download_read
func uplink_download_read(p *C.UplinkDownload, bytes unsafe.Pointer, length C.size_t) C.UplinkReadResult {
	d, err := getDownload(p)
	if err != nil {
		return C.UplinkReadResult{error: newError(err)}
	}
	if length == 0 {
		return C.UplinkReadResult{}
	}
	if bytes == nil {
		return C.UplinkReadResult{error: newError(errorNull("bytes"))}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var n int
	runDetached(func() { n, err = readFull(d.download, cBufferSlice(bytes, length)) })
	return C.UplinkReadResult{bytes_read: C.size_t(n), error: newError(err)}
}

//export uplink_download_info
func uplink_download_info(p *C.UplinkDownload) C.UplinkObjectResult {
	d, err := getDownload(p)
	if err != nil {
		return objectResult(nil, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return objectResult(d.download.Info(), nil)
}

//export uplink_close_download
func uplink_close_download(p *C.UplinkDownload) *C.UplinkError {
	d, err := getDownload(p)
	if err != nil {
		return newError(err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return newError(d.close())
}

//export uplink_free_read_result
func uplink_free_read_result(result C.UplinkReadResult) {
	uplink_free_error(result.error)
}

//export uplink_free_download_result
func uplink_free_download_result(result C.UplinkDownloadResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.download))
}
