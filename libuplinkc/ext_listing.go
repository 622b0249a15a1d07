package main

// #include "uplink_python_ext.h"
import "C"

import "unsafe"

// upy_object_iterator_next_page moves the object listing on by up to limit objects and returns
// them as one page, so a caller pays one call per page instead of three per object (next, item,
// free). The items are whole UplinkObjects, as uplink_object_iterator_item returns them. A page
// with fewer than limit items is the last: its error, if any, is why the listing stopped (the
// items before the failure come with it). After it, pages are empty. Free every page with
// upy_free_object_page.
//
//export upy_object_iterator_next_page
func upy_object_iterator_next_page(it *C.UplinkObjectIterator, limit C.size_t) C.UpyObjectPage {
	var items []unsafe.Pointer
	err := withLocked(it, func(it *iterator) error {
		l := it.value
		l.hasItem = false // a page leaves no current item for uplink_object_iterator_item
		if l.failed != nil {
			return l.failed
		}
		for C.size_t(len(items)) < limit {
			if !l.next() {
				return l.err()
			}
			l.hasItem = true
			items = append(items, l.item())
			l.hasItem = false
		}
		return nil
	})
	page := C.UpyObjectPage{count: C.size_t(len(items)), error: newError(err)}
	if len(items) > 0 {
		page.items = (**C.UplinkObject)(C.calloc(C.size_t(len(items)), C.size_t(unsafe.Sizeof(uintptr(0)))))
		copy(unsafe.Slice((*unsafe.Pointer)(unsafe.Pointer(page.items)), len(items)), items)
	}
	return page
}

// upy_free_object_page frees a page of objects: each object, the array and the error.
//
//export upy_free_object_page
func upy_free_object_page(page C.UpyObjectPage) {
	if page.items != nil {
		for _, object := range unsafe.Slice(page.items, int(page.count)) {
			uplink_free_object(object)
		}
		C.free(unsafe.Pointer(page.items))
	}
	uplink_free_error(page.error)
}
