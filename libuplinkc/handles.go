package main

// #include "uplink_definitions.h"
import "C"

import (
	"fmt"
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

//export uplink_internal_UniverseIsEmpty
func uplink_internal_UniverseIsEmpty() bool {
	return universe.len() == 0
}
