package main

// #include "uplink_python_ext.h"
import "C"

import (
	"unsafe"

	"storj.io/uplink"
)

// nextPage moves the listing behind the iterator handle it on by up to limit items and returns
// them as one malloc'ed array (NULL when empty) of the C copies its item function makes. A page
// with fewer than limit items is the last: its error, if any, is why the listing stopped (the
// items before the failure come with it). After it, pages are empty.
func nextPage[H cHandle](it *H, limit C.size_t) (unsafe.Pointer, C.size_t, *C.UplinkError) {
	var items []unsafe.Pointer
	err := takePage(it, limit, func(l *listing) { items = append(items, l.item()) })
	var array unsafe.Pointer
	if len(items) > 0 {
		array = C.calloc(C.size_t(len(items)), C.size_t(unsafe.Sizeof(uintptr(0))))
		copy(unsafe.Slice((*unsafe.Pointer)(array), len(items)), items)
	}
	return array, C.size_t(len(items)), newError(err)
}

// takePage moves the listing behind it on by up to limit items, calling take on each, and
// returns why the listing stopped if it did (nil at its end or when the page is full).
func takePage[H cHandle](it *H, limit C.size_t, take func(*listing)) error {
	return withLocked(it, func(it *iterator) error {
		l := it.value
		l.hasItem = false // a page leaves no current item for the item-by-item calls
		if l.failed != nil {
			return l.failed
		}
		for taken := C.size_t(0); taken < limit; taken++ {
			if !l.next() {
				return l.err()
			}
			l.hasItem = true
			take(l)
			l.hasItem = false
		}
		return nil
	})
}

// freePage frees a page's items with freeItem, its array and its error.
func freePage[T any](items **T, count C.size_t, err *C.UplinkError, freeItem func(*T)) {
	if items != nil {
		for _, item := range unsafe.Slice(items, int(count)) {
			freeItem(item)
		}
		C.free(unsafe.Pointer(items))
	}
	uplink_free_error(err)
}

// upy_object_iterator_next_array moves the object listing on by up to limit objects and returns
// them as one array of UplinkObjects in a single allocation that also holds their keys and custom
// metadata: a caller pays one call per page instead of three per object (next, item, free), and
// can read the whole page, bytes long, at once. A page with fewer than limit objects is the last:
// its error, if any, is why the listing stopped (the objects before the failure come with it).
// After it, pages are empty. Free every page with upy_free_object_array.
//
//export upy_object_iterator_next_array
func upy_object_iterator_next_array(it *C.UplinkObjectIterator, limit C.size_t) C.UpyObjectArray {
	var objects []*uplink.Object
	err := takePage(it, limit, func(l *listing) { objects = append(objects, l.current().(*uplink.Object)) })
	array, size := objectsToC(objects)
	return C.UpyObjectArray{objects: array, count: C.size_t(len(objects)), bytes: size, error: newError(err)}
}

// upy_free_object_array frees a page of objects (its one allocation) and its error.
//
//export upy_free_object_array
func upy_free_object_array(page C.UpyObjectArray) {
	C.free(unsafe.Pointer(page.objects))
	uplink_free_error(page.error)
}

// upy_object_version_iterator_next_page moves a listing of versions (upy_list_object_versions) on
// by up to limit versions and returns them as one page of pointers to whole UpyVersionedObjects,
// with the last-page rule of upy_object_iterator_next_array. Free every page with
// upy_free_object_version_page.
//
//export upy_object_version_iterator_next_page
func upy_object_version_iterator_next_page(it *C.UpyObjectVersionIterator, limit C.size_t) C.UpyObjectVersionPage {
	items, count, err := nextPage(it, limit)
	return C.UpyObjectVersionPage{items: (**C.UpyVersionedObject)(items), count: count, error: err}
}

// upy_free_object_version_page frees a page of versions: each version, the array and the error.
//
//export upy_free_object_version_page
func upy_free_object_version_page(page C.UpyObjectVersionPage) {
	freePage(page.items, page.count, page.error, upy_free_versioned_object)
}
