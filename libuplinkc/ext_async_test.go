package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"testnet/network/networktest"
)

// pipeBytes is how many bytes wait in the pipe whose read end is fd.
func pipeBytes(t *testing.T, fd int) int {
	t.Helper()
	n, err := unix.IoctlGetInt(fd, fionread)
	if err != nil {
		t.Fatalf("FIONREAD: %v", err)
	}
	return n
}

// readable polls fd without waiting.
func readable(t *testing.T, fd int) bool {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return n == 1 && fds[0].Revents&unix.POLLIN != 0
}

// newTestQueue makes a queue through the export; the test frees it unless it did.
func newTestQueue(t *testing.T) (_Ctype_UpyAsyncQueueResult, *asyncQueue) {
	t.Helper()
	result := upy_async_queue_new()
	if result.error != nil || result.queue == nil || result.fd < 0 {
		t.Fatalf("upy_async_queue_new: %+v", result)
	}
	q, err := valueOf[*asyncQueue](result.queue)
	if err != nil {
		t.Fatal(err)
	}
	return result, q
}

// take is upy_async_queue_take into a fresh array of capacity entries.
func take(queue *_Ctype_UpyAsyncQueue, capacity int) []_Ctype_UpyCompletion {
	out := make([]_Ctype_UpyCompletion, capacity+1)
	n := upy_async_queue_take(queue, unsafe.SliceData(out), _Ctype_size_t(capacity))
	return out[:n]
}

// fakeCompletion starts a call on q that finishes at once with token and counts its frees.
func fakeCompletion(t *testing.T, q *asyncQueue, token uint64, freed *int) {
	t.Helper()
	if err := q.start(); err != nil {
		t.Fatal(err)
	}
	q.finish(completion{token: token, free: func() { *freed++ }})
}

func TestAsyncQueueWakesOnceAndDrainsWhenEmpty(t *testing.T) {
	result, q := newTestQueue(t)
	fd := int(result.fd)
	if readable(t, fd) {
		t.Fatal("an empty queue's fd is readable")
	}
	for _, end := range []int{q.read, q.write} {
		flags, err := unix.FcntlInt(uintptr(end), unix.F_GETFL, 0)
		fdFlags, err2 := unix.FcntlInt(uintptr(end), unix.F_GETFD, 0)
		if err != nil || err2 != nil || flags&unix.O_NONBLOCK == 0 || fdFlags&unix.FD_CLOEXEC == 0 {
			t.Fatalf("pipe end %d: flags %#x, fd flags %#x (%v %v): want non-blocking, close-on-exec", end, flags, fdFlags, err, err2)
		}
	}
	freed := 0
	for token := range uint64(5) {
		fakeCompletion(t, q, token, &freed)
	}
	if n := pipeBytes(t, fd); n != 1 {
		t.Fatalf("five completions wrote %d bytes, want one", n)
	}
	if n := upy_async_queue_in_flight(result.queue); n != 5 {
		t.Fatalf("in flight: %d", n)
	}
	var tokens []uint64
	for _, capacity := range []int{2, 2, 2} {
		batch := take(result.queue, capacity)
		for _, c := range batch {
			tokens = append(tokens, uint64(c.token))
		}
		q.mu.Lock()
		if waiting := len(q.finished) > 0; readable(t, fd) != waiting {
			t.Errorf("after a take of %d: readable %v while %d wait", len(batch), !waiting, len(q.finished))
		}
		q.mu.Unlock()
	}
	if fmt.Sprint(tokens) != "[0 1 2 3 4]" {
		t.Fatalf("tokens taken %v, want oldest first", tokens)
	}
	if len(take(result.queue, 4)) != 0 || readable(t, fd) || pipeBytes(t, fd) != 0 {
		t.Fatal("an emptied queue must leave the fd unreadable")
	}
	fakeCompletion(t, q, 9, &freed)
	if !readable(t, fd) {
		t.Fatal("a completion after a drain must wake the loop again")
	}
	if freed != 0 {
		t.Fatalf("taken results were freed %d times: they are the caller's", freed)
	}
	upy_free_async_queue_result(result)
	upy_free_async_queue_result(_Ctype_UpyAsyncQueueResult{}) // NULL queue: nothing to free
}

func TestAsyncQueueFreeReleasesUntakenAndLateResults(t *testing.T) {
	before := universe.len()
	result, q := newTestQueue(t)
	freed := 0
	fakeCompletion(t, q, 1, &freed)
	fakeCompletion(t, q, 2, &freed)
	if err := q.start(); err != nil { // a call still running when the queue is freed
		t.Fatal(err)
	}
	upy_free_async_queue_result(result)
	if freed != 2 {
		t.Fatalf("untaken results freed %d times, want 2", freed)
	}
	q.finish(completion{token: 3, free: func() { freed++ }})
	if freed != 3 {
		t.Fatal("a call finishing after the free must free its own result")
	}
	if universe.len() != before {
		t.Fatalf("the queue stayed in the handle table: %d handles, want %d", universe.len(), before)
	}
}

// A twin on a NULL, unknown or freed queue fails and starts nothing.
func TestAsyncInvalidQueue(t *testing.T) {
	result, q := newTestQueue(t)
	unknown := _Ctype_UpyAsyncQueue{_handle: 1 << 40}
	upy_free_async_queue_result(result)
	for name, queue := range map[string]*_Ctype_UpyAsyncQueue{"NULL": nil, "unknown": &unknown, "freed": result.queue} {
		err := upy_async_stat_bucket(queue, 7, nil, nil)
		if err == nil {
			t.Fatalf("%s queue: no error", name)
		}
		if name != "NULL" && err.code != codeInvalidHandle {
			t.Errorf("%s queue: code %d, want INVALID_HANDLE", name, err.code)
		}
		uplink_free_error(err)
		if n := upy_async_queue_take(queue, &_Ctype_UpyCompletion{}, 1); n != 0 {
			t.Errorf("%s queue: take returned %d", name, n)
		}
	}
	// A twin that looked the queue up just before the free must not start on it either.
	if err := q.start(); !errors.Is(err, errInvalidHandle) {
		t.Fatalf("start on a freed queue: %v", err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.running != 0 || len(q.finished) != 0 {
		t.Fatalf("a twin on a freed queue started: %d running, %d finished", q.running, len(q.finished))
	}
}

// Every result a twin queues has the layout of wordResult: its first word, then its error.
func TestAsyncResultLayouts(t *testing.T) {
	e := &_Ctype_UplinkError{}
	check := func(name string, value uintptr, err *_Ctype_UplinkError, wantValue uintptr) {
		if value != wantValue || err != e {
			t.Errorf("%s: split into %#x %p", name, value, err)
		}
	}
	o := &_Ctype_UpyVersionedObject{}
	v, err := splitResult(_Ctype_UpyVersionedObjectResult{object: o, error: e})
	check("versioned object", v, err, uintptr(unsafe.Pointer(o)))
	u := &_Ctype_UplinkUpload{}
	v, err = splitResult(_Ctype_UplinkUploadResult{upload: u, error: e})
	check("upload", v, err, uintptr(unsafe.Pointer(u)))
	d := &_Ctype_UplinkDownload{}
	v, err = splitResult(_Ctype_UplinkDownloadResult{download: d, error: e})
	check("download", v, err, uintptr(unsafe.Pointer(d)))
	v, err = splitResult(_Ctype_UplinkWriteResult{bytes_written: 42, error: e})
	check("write", v, err, 42)
	v, err = splitResult(_Ctype_UplinkReadResult{bytes_read: 43, error: e})
	check("read", v, err, 43)
	b := &_Ctype_UplinkBucket{}
	v, err = splitResult(_Ctype_UplinkBucketResult{bucket: b, error: e})
	check("bucket", v, err, uintptr(unsafe.Pointer(b)))
	v, err = splitResult(e)
	check("bare error", v, err, 0)
	if unsafe.Offsetof(_Ctype_UpyCompletion{}.value) != 8 || unsafe.Offsetof(_Ctype_UpyCompletion{}.error) != 16 {
		t.Fatal("UpyCompletion: value and error must follow the 8-byte token")
	}
}

// asyncNet is a local network with one C project open on it and a queue.
type asyncNet struct {
	t       *testing.T
	project *_Ctype_UplinkProject
	queue   _Ctype_UpyAsyncQueueResult
	q       *asyncQueue
	next    uint64
}

func startAsyncNet(t *testing.T, buckets ...string) *asyncNet {
	net := networktest.Start(t, 4)
	net.OpenProject(net.Access(), buckets...)
	access := uplink_parse_access(cstr(t, net.AccessGrant()))
	if access.error != nil {
		t.Fatalf("parse access: %s", goString((*_Ctype_uplink_const_char)(unsafe.Pointer(access.error.message))))
	}
	opened := uplink_open_project(access.access)
	if opened.error != nil {
		t.Fatal("open project failed")
	}
	queue, q := newTestQueue(t)
	t.Cleanup(func() {
		upy_free_async_queue_result(queue)
		uplink_free_project_result(opened)
		uplink_free_access_result(access)
		if !uplink_internal_UniverseIsEmpty() {
			t.Errorf("%d handles left in the table", universe.len())
		}
	})
	return &asyncNet{t: t, project: opened.project, queue: queue, q: q}
}

// cstr is a C copy of s, freed when the test ends.
func cstr(t *testing.T, s string) *_Ctype_uplink_const_char {
	c := cString(s)
	t.Cleanup(func() { _Cfunc_free(unsafe.Pointer(c)) })
	return (*_Ctype_uplink_const_char)(unsafe.Pointer(c))
}

// wait takes completions until count of them came, waiting on the pipe in between, and returns
// them by token.
func (a *asyncNet) wait(count int) map[uint64]_Ctype_UpyCompletion {
	a.t.Helper()
	got := map[uint64]_Ctype_UpyCompletion{}
	for len(got) < count {
		fds := []unix.PollFd{{Fd: int32(a.queue.fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, -1); err != nil && err != unix.EINTR {
			a.t.Fatalf("poll: %v", err)
		}
		for _, c := range take(a.queue.queue, 3) {
			if _, twice := got[uint64(c.token)]; twice {
				a.t.Fatalf("token %d completed twice", c.token)
			}
			got[uint64(c.token)] = c
		}
	}
	return got
}

// call starts one twin through start (given a fresh token) and waits for its completion.
func (a *asyncNet) call(start func(token _Ctype_uint64_t) *_Ctype_UplinkError) _Ctype_UpyCompletion {
	a.t.Helper()
	a.next++
	token := a.next
	if err := start(_Ctype_uint64_t(token)); err != nil {
		a.t.Fatalf("twin refused to start: code %d", err.code)
	}
	return a.wait(1)[token]
}

// requireMissing fails the test unless the sync stat of bucket/key says OBJECT_NOT_FOUND.
func (a *asyncNet) requireMissing(bucket, key *_Ctype_uplink_const_char, when string) {
	a.t.Helper()
	stat := upy_stat_object(a.project, bucket, key, nil, 0)
	if code(stat.error) != codeObjectNotFound {
		a.t.Errorf("%s: stat code %d, want OBJECT_NOT_FOUND", when, code(stat.error))
	}
	upy_free_versioned_object_result(stat)
}

// uploadSync uploads an empty object through the sync exports.
func (a *asyncNet) uploadSync(bucket, key *_Ctype_uplink_const_char) {
	a.t.Helper()
	up := uplink_upload_object(a.project, bucket, key, nil)
	if up.error != nil || uplink_upload_commit(up.upload) != nil {
		a.t.Fatal("sync upload failed")
	}
	uplink_free_upload_result(up)
}

// as reads a completion's value and error as the mirrored function's result R.
func as[R any](c *_Ctype_UpyCompletion) R {
	return *(*R)(unsafe.Pointer(&c.value))
}

// code is the error code of err, 0 for none.
func code(err *_Ctype_UplinkError) int {
	if err == nil {
		return 0
	}
	return int(err.code)
}

func TestAsyncTwinsMatchTheSyncExports(t *testing.T) {
	a := startAsyncNet(t, "twins")
	bucket, key, missing := cstr(t, "twins"), cstr(t, "object"), cstr(t, "missing")
	a.uploadSync(bucket, key)

	for _, k := range []*_Ctype_uplink_const_char{key, missing, nil} {
		want := upy_stat_object(a.project, bucket, k, nil, 0)
		c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
			return upy_async_stat_object(a.queue.queue, token, a.project, bucket, k, nil, 0)
		})
		got := as[_Ctype_UpyVersionedObjectResult](&c)
		if code(got.error) != code(want.error) || (got.object == nil) != (want.object == nil) {
			t.Errorf("stat %v: twin code %d, sync code %d", k != nil, code(got.error), code(want.error))
		}
		if got.object != nil && goString((*_Ctype_uplink_const_char)(unsafe.Pointer(got.object.object.key))) != "object" {
			t.Error("stat twin: wrong key")
		}
		upy_free_versioned_object_result(got)
		upy_free_versioned_object_result(want)
	}

	// Buckets: create then create again (BUCKET_ALREADY_EXISTS, with the bucket), ensure, stat, delete.
	name := cstr(t, "made-by-twins")
	for _, step := range []struct {
		twin func(*_Ctype_UpyAsyncQueue, _Ctype_uint64_t, *_Ctype_UplinkProject, *_Ctype_uplink_const_char) *_Ctype_UplinkError
		code int
	}{
		{upy_async_create_bucket, 0},
		{upy_async_create_bucket, codeBucketAlreadyExists},
		{upy_async_ensure_bucket, 0},
		{upy_async_stat_bucket, 0},
		{upy_async_delete_bucket, 0},
		{upy_async_stat_bucket, codeBucketNotFound},
	} {
		c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
			return step.twin(a.queue.queue, token, a.project, name)
		})
		got := as[_Ctype_UplinkBucketResult](&c)
		if code(got.error) != step.code {
			t.Errorf("bucket step: code %d, want %d", code(got.error), step.code)
		}
		uplink_free_bucket_result(got)
	}

	// Delete through the twin, then the object is gone for the sync stat.
	c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_delete_object(a.queue.queue, token, a.project, bucket, key, nil, 0, false)
	})
	deleted := as[_Ctype_UpyVersionedObjectResult](&c)
	if deleted.error != nil {
		t.Fatalf("delete twin: code %d", deleted.error.code)
	}
	upy_free_versioned_object_result(deleted)
	a.requireMissing(bucket, key, "after the delete twin")
}

func TestAsyncRoundTripThroughTwins(t *testing.T) {
	a := startAsyncNet(t, "roundtrip")
	bucket, key := cstr(t, "roundtrip"), cstr(t, "object")
	data := networktest.RandomData(t, 300*1024+5)
	buffer := unsafe.Pointer(unsafe.SliceData(data)) // valid until each write's completion: data lives on

	c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_upload_object(a.queue.queue, token, a.project, bucket, key, nil)
	})
	up := as[_Ctype_UplinkUploadResult](&c)
	if up.error != nil {
		t.Fatalf("upload twin: code %d", up.error.code)
	}
	defer uplink_free_upload_result(up)
	for offset := 0; offset < len(data); {
		size := min(len(data)-offset, 4<<10, 1+offset) // small writes and large ones
		if offset > 64<<10 {
			size = min(len(data)-offset, 100<<10)
		}
		c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
			return upy_async_upload_write(a.queue.queue, token, up.upload, unsafe.Add(buffer, offset), _Ctype_size_t(size))
		})
		written := as[_Ctype_UplinkWriteResult](&c)
		if written.error != nil || int(written.bytes_written) != size {
			t.Fatalf("write twin at %d: %d of %d, code %d", offset, written.bytes_written, size, code(written.error))
		}
		offset += size
	}
	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_upload_commit(a.queue.queue, token, up.upload)
	})
	if c.value != 0 || c.error != nil {
		t.Fatalf("commit twin: %d, code %d", c.value, code(c.error))
	}

	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_download_object(a.queue.queue, token, a.project, bucket, key, nil)
	})
	down := as[_Ctype_UplinkDownloadResult](&c)
	if down.error != nil {
		t.Fatalf("download twin: code %d", down.error.code)
	}
	defer uplink_free_download_result(down)
	readBuffer := unsafe.Pointer(unsafe.SliceData(make([]byte, 64<<10)))
	var got []byte
	for {
		c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
			return upy_async_download_read(a.queue.queue, token, down.download, readBuffer, 64<<10)
		})
		read := as[_Ctype_UplinkReadResult](&c)
		got = append(got, unsafe.Slice((*byte)(readBuffer), int(read.bytes_read))...)
		eof := code(read.error) == codeEOF
		if read.error != nil && !eof {
			t.Fatalf("read twin: code %d", read.error.code)
		}
		uplink_free_read_result(read)
		if eof {
			break
		}
	}
	if sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("downloaded %d bytes, not the %d uploaded", len(got), len(data))
	}
	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_close_download(a.queue.queue, token, down.download)
	})
	if c.error != nil {
		t.Fatalf("close twin: code %d", c.error.code)
	}

	// An upload aborted through its twin leaves nothing behind.
	other := cstr(t, "aborted")
	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_upload_object(a.queue.queue, token, a.project, bucket, other, nil)
	})
	aborted := as[_Ctype_UplinkUploadResult](&c)
	defer uplink_free_upload_result(aborted)
	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_upload_abort(a.queue.queue, token, aborted.upload)
	})
	if c.error != nil {
		t.Fatalf("abort twin: code %d", c.error.code)
	}
	a.requireMissing(bucket, other, "after the abort twin")
}

// A twin reads its handle struct before it returns: the caller may free (here: overwrite) the
// struct at once.
func TestAsyncTwinCopiesTheHandleStruct(t *testing.T) {
	a := startAsyncNet(t, "copies")
	bucket, key := cstr(t, "copies"), cstr(t, "object")
	up := uplink_upload_object(a.project, bucket, key, nil)
	if up.error != nil {
		t.Fatal("upload failed")
	}
	defer uplink_free_upload_result(up)
	handle := *up.upload
	c := a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		err := upy_async_upload_commit(a.queue.queue, token, up.upload)
		up.upload._handle = 0 // what a freed, reused struct may hold
		return err
	})
	*up.upload = handle
	if c.error != nil {
		t.Fatalf("commit twin read the struct after returning: code %d", c.error.code)
	}
	// A freed handle in the struct is INVALID_HANDLE in the completion, never a crash.
	stale := _Ctype_UplinkUpload{_handle: 1 << 40}
	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_upload_commit(a.queue.queue, token, &stale)
	})
	if code(c.error) != codeInvalidHandle {
		t.Fatalf("stale handle: code %d", code(c.error))
	}
	uplink_free_error(c.error)
	// NULL stays NULL: the mirrored function's own NULL error.
	c = a.call(func(token _Ctype_uint64_t) *_Ctype_UplinkError {
		return upy_async_upload_commit(a.queue.queue, token, nil)
	})
	want := uplink_upload_commit(nil)
	if code(c.error) != code(want) || want == nil {
		t.Fatalf("NULL upload: code %d, sync %d", code(c.error), code(want))
	}
	uplink_free_error(c.error)
	uplink_free_error(want)
}

// Freeing a queue with downloads in flight and results not taken leaves no handle behind
// (startAsyncNet's cleanup checks the table is empty once the project and access are freed).
func TestAsyncFreeWithCallsInFlight(t *testing.T) {
	a := startAsyncNet(t, "inflight")
	bucket, key := cstr(t, "inflight"), cstr(t, "object")
	a.uploadSync(bucket, key)

	const count = 16
	start := func(q _Ctype_UpyAsyncQueueResult) {
		for i := range count {
			if err := upy_async_download_object(q.queue, _Ctype_uint64_t(i), a.project, bucket, key, nil); err != nil {
				t.Fatal("twin refused to start")
			}
		}
	}
	// Untaken: every call finished, none taken, then the free.
	untaken, uq := newTestQueue(t)
	start(untaken)
	waitIdle(uq)
	if n := upy_async_queue_in_flight(untaken.queue); n != count {
		t.Fatalf("in flight: %d, want %d", n, count)
	}
	upy_free_async_queue_result(untaken)
	// In flight: freed at once, the calls finish afterwards.
	inFlight, fq := newTestQueue(t)
	start(inFlight)
	upy_free_async_queue_result(inFlight)
	waitIdle(fq)
}

// waitIdle waits until no call of q is running.
func waitIdle(q *asyncQueue) {
	for {
		q.mu.Lock()
		running := q.running
		q.mu.Unlock()
		if running == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// Many calls in flight at once each complete once, with their own token and result, and the
// queue ends empty.
func TestAsyncManyCallsAtOnce(t *testing.T) {
	a := startAsyncNet(t, "many")
	bucket, key, missing := cstr(t, "many"), cstr(t, "object"), cstr(t, "missing")
	a.uploadSync(bucket, key)
	const count = 256
	for i := range count {
		k := key
		if i%2 == 1 {
			k = missing
		}
		if err := upy_async_stat_object(a.queue.queue, _Ctype_uint64_t(i), a.project, bucket, k, nil, 0); err != nil {
			t.Fatal("twin refused to start")
		}
	}
	got := a.wait(count)
	if len(got) != count {
		t.Fatalf("%d distinct tokens, want %d", len(got), count)
	}
	for token, c := range got {
		result := as[_Ctype_UpyVersionedObjectResult](&c)
		want := 0
		if token%2 == 1 {
			want = codeObjectNotFound
		}
		if code(result.error) != want || (result.object != nil) != (want == 0) {
			t.Errorf("token %d: code %d, want %d", token, code(result.error), want)
		}
		upy_free_versioned_object_result(result)
	}
	if n := upy_async_queue_in_flight(a.queue.queue); n != 0 || readable(t, int(a.queue.fd)) {
		t.Fatalf("after taking everything: %d in flight", n)
	}
}
