package main

// #include "uplink_python_ext.h"
import "C"

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"syscall"
	"unsafe"

	"storj.io/uplink"
)

// The asyncio completion path (uplink_python_ext.h explains the contract). An event loop that ran
// each blocking export in a thread pool paid for thread wake-ups, the GIL and, inside a call from
// C, the hand-offs of a goroutine locked to its thread at every network wait. A twin instead starts
// its mirrored export on an ordinary goroutine and returns at once; the result waits in the queue,
// and the queue's pipe wakes the loop once for any number of results.

// errQueueFreed is what a twin started on a queue that is being freed returns.
var errQueueFreed = fmt.Errorf("%w: UpyAsyncQueue is freed", errInvalidHandle)

// completion is one finished call: what upy_async_queue_take hands out, and free to release the
// result when nobody will take it.
type completion struct {
	token uint64
	value uintptr
	err   *C.UplinkError
	free  func()
}

// asyncQueue is the value behind an UpyAsyncQueue handle. Invariant under mu: the pipe holds one
// byte exactly while finished is not empty, so the loop's reader is ready exactly then and no
// wake-up is lost or spurious.
type asyncQueue struct {
	mu       sync.Mutex
	read     int // the pipe's read end, the fd the caller watches
	write    int
	finished []completion
	running  int // started and not finished
	closed   bool
}

// newAsyncQueue makes a queue and its pipe: both ends non-blocking (the loop reads only when
// told it can, and the library writes under mu) and close-on-exec (a child process must not keep
// them). Pipe and CloseOnExec under ForkLock, as the os package does where pipe2 is missing.
func newAsyncQueue() (*asyncQueue, error) {
	fds := make([]int, 2)
	syscall.ForkLock.RLock()
	err := syscall.Pipe(fds)
	if err == nil {
		syscall.CloseOnExec(fds[0])
		syscall.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("async queue: pipe: %w", err)
	}
	q := &asyncQueue{read: fds[0], write: fds[1]}
	if err := errors.Join(syscall.SetNonblock(q.read, true), syscall.SetNonblock(q.write, true)); err != nil {
		q.closePipe()
		return nil, fmt.Errorf("async queue: non-blocking pipe: %w", err)
	}
	return q, nil
}

func (q *asyncQueue) closePipe() {
	_ = syscall.Close(q.read)
	_ = syscall.Close(q.write)
}

// start counts a call as running, unless the queue is freed.
func (q *asyncQueue) start() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return errQueueFreed
	}
	q.running++
	return nil
}

// finish queues a finished call and makes the pipe readable if the queue was empty; on a freed
// queue the result is freed at once.
func (q *asyncQueue) finish(c completion) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.running--
	if q.closed {
		c.free()
		return
	}
	q.finished = append(q.finished, c)
	if len(q.finished) == 1 {
		q.signal()
	}
}

// signal writes the pipe's one byte; the pipe is empty (the invariant), so the write cannot block.
func (q *asyncQueue) signal() {
	for {
		_, err := syscall.Write(q.write, []byte{1})
		if err != syscall.EINTR {
			return
		}
	}
}

// drain empties the pipe once the queue is empty, so the fd is no longer readable.
func (q *asyncQueue) drain() {
	var buf [16]byte
	for {
		n, err := syscall.Read(q.read, buf[:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n < len(buf) {
			return
		}
	}
}

// take moves up to capacity of the oldest finished calls into the caller's array out and returns
// how many.
func (q *asyncQueue) take(out *C.UpyCompletion, capacity int) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(capacity, len(q.finished))
	array := unsafe.Slice(out, n)
	for i, c := range q.finished[:n] {
		array[i] = C.UpyCompletion{token: C.uint64_t(c.token), value: C.uintptr_t(c.value), error: c.err}
	}
	rest := copy(q.finished, q.finished[n:])
	clear(q.finished[rest:])
	q.finished = q.finished[:rest]
	if n > 0 && rest == 0 {
		q.drain()
	}
	return n
}

// inFlight is how many calls were started and not yet taken (0 once the queue is freed).
func (q *asyncQueue) inFlight() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return 0
	}
	return q.running + len(q.finished)
}

// release frees the results nobody took and closes the pipe; calls still running free their own
// results when they finish (finish sees closed).
func (q *asyncQueue) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	for _, c := range q.finished {
		c.free()
	}
	q.finished = nil
	q.closePipe()
}

// asyncResult is every result a twin's mirrored function returns: a bare error, or a struct of
// one word then the error (the layout of UpyCompletion's value and error, which Python relies
// on; ext_async_test.go checks each).
type asyncResult interface {
	*C.UplinkError | C.UpyVersionedObjectResult | C.UplinkUploadResult | C.UplinkDownloadResult |
		C.UplinkWriteResult | C.UplinkReadResult | C.UplinkBucketResult
}

// wordResult is the layout of the result structs of asyncResult.
type wordResult struct {
	word  uintptr
	error *C.UplinkError
}

// splitResult is the first word and the error of r (0 and r for a bare error).
func splitResult[R asyncResult](r R) (uintptr, *C.UplinkError) {
	if err, ok := any(r).(*C.UplinkError); ok {
		return 0, err
	}
	w := *(*wordResult)(unsafe.Pointer(&r))
	return w.word, w.error
}

// startAsync is every twin: it starts call on a fresh goroutine (not locked to the C thread, so
// storj.io/uplink's waits park it cheaply) and queues its result under token; free releases the
// result if nobody takes it. An error when queue is NULL, unknown or freed, and then nothing runs.
func startAsync[R asyncResult](queue *C.UpyAsyncQueue, token C.uint64_t, call func() R, free func(R)) *C.UplinkError {
	q, err := valueOf[*asyncQueue](queue)
	if err == nil {
		err = q.start()
	}
	if err != nil {
		return newError(err)
	}
	go func() {
		r := call()
		value, cerr := splitResult(r)
		q.finish(completion{token: uint64(token), value: value, err: cerr, free: func() { free(r) }})
	}()
	return nil
}

// copyHandle is a Go copy of the handle struct p points to (NULL stays NULL): a twin reads its
// handle after returning, when the caller may have freed the struct.
func copyHandle[H cHandle](p *H) *H {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// upy_async_queue_new makes a queue of finished asyncio calls and the pipe that tells when it
// holds some (fd, its read end).
//
//export upy_async_queue_new
func upy_async_queue_new() C.UpyAsyncQueueResult {
	q, err := newAsyncQueue()
	if err != nil {
		return C.UpyAsyncQueueResult{fd: -1, error: newError(err)}
	}
	return C.UpyAsyncQueueResult{queue: (*C.UpyAsyncQueue)(newHandle(q)), fd: C.int64_t(q.read)}
}

// upy_async_queue_take moves up to capacity finished calls, oldest first, into completions and
// returns how many; the caller owns their results. 0 for a NULL or unknown queue or a NULL array.
//
//export upy_async_queue_take
func upy_async_queue_take(queue *C.UpyAsyncQueue, completions *C.UpyCompletion, capacity C.size_t) C.size_t {
	q, err := valueOf[*asyncQueue](queue)
	if err != nil || completions == nil {
		return 0
	}
	return C.size_t(q.take(completions, int(min(capacity, C.size_t(math.MaxInt)))))
}

// upy_async_queue_in_flight is how many calls were started on the queue and not yet taken; 0 for
// a NULL or unknown queue.
//
//export upy_async_queue_in_flight
func upy_async_queue_in_flight(queue *C.UpyAsyncQueue) C.size_t {
	q, err := valueOf[*asyncQueue](queue)
	if err != nil {
		return 0
	}
	return C.size_t(q.inFlight())
}

// upy_free_async_queue_result frees a queue result: its error, and its queue with the pipe and the
// results nobody took, without waiting for calls in flight (they free their own results).
//
//export upy_free_async_queue_result
func upy_free_async_queue_result(result C.UpyAsyncQueueResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.queue))
}

// upy_async_stat_object is upy_stat_object completed through queue.
//
//export upy_async_stat_object
func upy_async_stat_object(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t) *C.UplinkError {
	p := copyHandle(project)
	return startAsync(queue, token, func() C.UpyVersionedObjectResult {
		return upy_stat_object(p, bucketName, objectKey, version, versionLength)
	}, upy_free_versioned_object_result)
}

// upy_async_delete_object is upy_delete_object completed through queue.
//
//export upy_async_delete_object
func upy_async_delete_object(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, version *C.uint8_t, versionLength C.size_t, bypassGovernance C.bool) *C.UplinkError {
	p := copyHandle(project)
	return startAsync(queue, token, func() C.UpyVersionedObjectResult {
		return upy_delete_object(p, bucketName, objectKey, version, versionLength, bypassGovernance)
	}, upy_free_versioned_object_result)
}

// upy_async_upload_object is uplink_upload_object completed through queue.
//
//export upy_async_upload_object
func upy_async_upload_object(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkUploadOptions) *C.UplinkError {
	p := copyHandle(project)
	return startAsync(queue, token, func() C.UplinkUploadResult {
		return uplink_upload_object(p, bucketName, objectKey, options)
	}, uplink_free_upload_result)
}

// upy_async_download_object is uplink_download_object completed through queue.
//
//export upy_async_download_object
func upy_async_download_object(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName, objectKey *C.uplink_const_char, options *C.UplinkDownloadOptions) *C.UplinkError {
	p := copyHandle(project)
	return startAsync(queue, token, func() C.UplinkDownloadResult {
		return uplink_download_object(p, bucketName, objectKey, options)
	}, uplink_free_download_result)
}

// upy_async_upload_write is uplink_upload_write completed through queue; bytes stays valid until then.
//
//export upy_async_upload_write
func upy_async_upload_write(queue *C.UpyAsyncQueue, token C.uint64_t, p *C.UplinkUpload, bytes unsafe.Pointer, length C.size_t) *C.UplinkError {
	u := copyHandle(p)
	return startAsync(queue, token, func() C.UplinkWriteResult {
		return writeResult[*uplink.Upload](u, bytes, length, runInline)
	}, uplink_free_write_result)
}

// upy_async_upload_commit is uplink_upload_commit completed through queue.
//
//export upy_async_upload_commit
func upy_async_upload_commit(queue *C.UpyAsyncQueue, token C.uint64_t, p *C.UplinkUpload) *C.UplinkError {
	u := copyHandle(p)
	return startAsync(queue, token, func() *C.UplinkError {
		return newError(commit[*uplink.Upload](u, runInline))
	}, uplink_free_error)
}

// upy_async_upload_abort is uplink_upload_abort completed through queue.
//
//export upy_async_upload_abort
func upy_async_upload_abort(queue *C.UpyAsyncQueue, token C.uint64_t, p *C.UplinkUpload) *C.UplinkError {
	u := copyHandle(p)
	return startAsync(queue, token, func() *C.UplinkError { return uplink_upload_abort(u) }, uplink_free_error)
}

// upy_async_download_read is uplink_download_read completed through queue; the buffer is written
// until then.
//
//export upy_async_download_read
func upy_async_download_read(queue *C.UpyAsyncQueue, token C.uint64_t, p *C.UplinkDownload, bytes unsafe.Pointer, length C.size_t) *C.UplinkError {
	d := copyHandle(p)
	return startAsync(queue, token, func() C.UplinkReadResult {
		return readResult(d, bytes, length, runInline)
	}, uplink_free_read_result)
}

// upy_async_close_download is uplink_close_download completed through queue.
//
//export upy_async_close_download
func upy_async_close_download(queue *C.UpyAsyncQueue, token C.uint64_t, p *C.UplinkDownload) *C.UplinkError {
	d := copyHandle(p)
	return startAsync(queue, token, func() *C.UplinkError {
		return newError(withLocked(d, func(l *download) error { return l.endWith((*uplink.Download).Close) }))
	}, uplink_free_error)
}

// bucketAsync is a bucket twin: op (the mirrored export) completed through queue.
func bucketAsync(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName *C.uplink_const_char,
	op func(*C.UplinkProject, *C.uplink_const_char) C.UplinkBucketResult) *C.UplinkError {
	p := copyHandle(project)
	return startAsync(queue, token, func() C.UplinkBucketResult { return op(p, bucketName) }, uplink_free_bucket_result)
}

// upy_async_stat_bucket is uplink_stat_bucket completed through queue.
//
//export upy_async_stat_bucket
func upy_async_stat_bucket(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName *C.uplink_const_char) *C.UplinkError {
	return bucketAsync(queue, token, project, bucketName, uplink_stat_bucket)
}

// upy_async_create_bucket is uplink_create_bucket completed through queue.
//
//export upy_async_create_bucket
func upy_async_create_bucket(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName *C.uplink_const_char) *C.UplinkError {
	return bucketAsync(queue, token, project, bucketName, uplink_create_bucket)
}

// upy_async_ensure_bucket is uplink_ensure_bucket completed through queue.
//
//export upy_async_ensure_bucket
func upy_async_ensure_bucket(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName *C.uplink_const_char) *C.UplinkError {
	return bucketAsync(queue, token, project, bucketName, uplink_ensure_bucket)
}

// upy_async_delete_bucket is uplink_delete_bucket completed through queue.
//
//export upy_async_delete_bucket
func upy_async_delete_bucket(queue *C.UpyAsyncQueue, token C.uint64_t, project *C.UplinkProject, bucketName *C.uplink_const_char) *C.UplinkError {
	return bucketAsync(queue, token, project, bucketName, uplink_delete_bucket)
}
