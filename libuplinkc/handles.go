package main

// #include "uplink_python_ext.h"
import "C"

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"
)

// handleTable maps the numbers C holds to Go values: cgo forbids C from keeping Go pointers,
// and a number that is not (or no longer) in the table is a clean INVALID_HANDLE error, never
// a crash. Handles are never reused, so a stale one cannot reach a newer value.
type handleTable struct {
	mu     sync.Mutex
	last   uintptr
	values map[uintptr]any
}

func newHandleTable() *handleTable {
	return &handleTable{values: map[uintptr]any{}}
}

// universe is the one table of the library (uplink_internal_UniverseIsEmpty reports on it).
var universe = newHandleTable()

func (t *handleTable) add(value any) uintptr {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last++
	t.values[t.last] = value
	return t.last
}

func (t *handleTable) get(handle uintptr) any {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.values[handle]
}

// remove deletes handle and returns what it held (nil if nothing).
func (t *handleTable) remove(handle uintptr) any {
	t.mu.Lock()
	defer t.mu.Unlock()
	value := t.values[handle]
	delete(t.values, handle)
	return value
}

func (t *handleTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.values)
}

// lookup returns the value of handle if it is a T; kind names the C type in the error.
func lookup[T any](t *handleTable, handle uintptr, kind string) (T, error) {
	value, ok := t.get(handle).(T)
	if !ok {
		return value, fmt.Errorf("%w: %s", errInvalidHandle, kind)
	}
	return value, nil
}

// cHandle is every handle struct of the header. Each holds nothing but a number of the table,
// which is what lets one accessor serve them all.
type cHandle interface {
	C.UplinkAccess | C.UplinkProject | C.UplinkDownload | C.UplinkUpload | C.UplinkEncryptionKey |
		C.UplinkPartUpload | C.UplinkObjectIterator | C.UplinkBucketIterator | C.UplinkUploadIterator |
		C.UplinkPartIterator | C.UpyObjectVersionIterator | C.UpyAsyncQueue
}

// valueOf is the Go value behind the handle p if it holds a T. NULL is a NULL-argument error;
// a freed or unknown handle, or one of another kind, is INVALID_HANDLE.
func valueOf[T any, H cHandle](p *H) (T, error) {
	if p == nil {
		var zero T
		return zero, errorNull(kindOf[H]())
	}
	return lookup[T](universe, handleOf(unsafe.Pointer(p)), kindOf[H]())
}

// kindOf is the C name of a handle struct ("UplinkAccess"), for error messages.
func kindOf[H cHandle]() string {
	name := reflect.TypeFor[H]().Name()
	return strings.TrimPrefix(strings.TrimPrefix(name, "_Ctype_"), "struct_")
}

// releaser is implemented by values that hold resources to let go of when their handle is freed
// (a download not closed, an upload neither committed nor aborted, an iterator's context...).
type releaser interface {
	release()
}

// newHandle adds value to the table and returns a malloc'ed handle struct holding its number.
// Every handle struct of the header is a single size_t, so one allocation fits them all.
func newHandle(value any) unsafe.Pointer {
	handle := (*C.UplinkHandle)(C.calloc(1, C.sizeof_UplinkHandle))
	handle._handle = C.size_t(universe.add(value))
	return unsafe.Pointer(handle)
}

// handleOf reads the number in a handle struct; 0 (never a valid handle) for NULL.
func handleOf(pointer unsafe.Pointer) uintptr {
	if pointer == nil {
		return 0
	}
	return uintptr((*C.UplinkHandle)(pointer)._handle)
}

// freeHandle removes a handle struct's entry, releases its value and frees the struct.
func freeHandle(pointer unsafe.Pointer) {
	if pointer == nil {
		return
	}
	if value, ok := universe.remove(handleOf(pointer)).(releaser); ok {
		value.release()
	}
	C.free(pointer)
}

// locked is the value behind every handle whose calls take turns: an access, an upload, a part
// upload, a download and an iterator. mu serializes the calls on one handle (two threads reading
// one download never race inside storj.io/uplink's reader); scope is the context the value runs
// under when it outlives the export that created it (none for an access).
type locked[T any] struct {
	mu    sync.Mutex
	scope scope
	value T
	// finish ends the value when its handle is freed before anyone ended it (done): an upload
	// neither committed nor aborted is aborted, a download not closed is closed.
	finish func(T) error
	done   bool
}

// end runs finish now, once; the caller holds mu.
func (l *locked[T]) end() error {
	return l.endWith(l.finish)
}

// endWith is end with finish in place of l.finish: a twin already on a free goroutine closes a
// download without the hop of closeDownload.
func (l *locked[T]) endWith(finish func(T) error) error {
	l.done = true
	if finish == nil {
		return nil
	}
	return finish(l.value)
}

func (l *locked[T]) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		_ = l.end()
	}
	l.scope.end()
}

// withLocked runs fn on the locked value behind the handle p, alone.
func withLocked[T any, H cHandle](p *H, fn func(l *locked[T]) error) error {
	l, err := valueOf[*locked[T]](p)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return fn(l)
}

// uplink_internal_UniverseIsEmpty reports whether every handle the library handed out has been
// freed: tests call it to prove that nothing leaked.
//
//export uplink_internal_UniverseIsEmpty
func uplink_internal_UniverseIsEmpty() bool {
	return universe.len() == 0
}
