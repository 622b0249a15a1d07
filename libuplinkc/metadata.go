package main

// #include "uplink_definitions.h"
import "C"

import (
	"slices"
	"unsafe"

	"storj.io/uplink"
)

// customFromC copies C custom metadata (explicit lengths: any bytes) into a Go map.
func customFromC(custom C.UplinkCustomMetadata) uplink.CustomMetadata {
	if custom.count == 0 || custom.entries == nil {
		return nil
	}
	entries := unsafe.Slice(custom.entries, int(custom.count))
	metadata := make(uplink.CustomMetadata, len(entries))
	for _, entry := range entries {
		key := C.GoStringN(entry.key, C.int(entry.key_length))
		metadata[key] = C.GoStringN(entry.value, C.int(entry.value_length))
	}
	return metadata
}

// customToC is a malloc'ed copy of metadata (entries array, each key and value). Entries are sorted
// by key, as upstream uplink-c hands them out: C programs may read them by position, and Go's map
// order changes from run to run.
func customToC(metadata uplink.CustomMetadata) C.UplinkCustomMetadata {
	if len(metadata) == 0 {
		return C.UplinkCustomMetadata{}
	}
	keys := sortedKeys(metadata)
	array := (*C.UplinkCustomMetadataEntry)(C.calloc(C.size_t(len(metadata)), C.sizeof_UplinkCustomMetadataEntry))
	entries := unsafe.Slice(array, len(metadata))
	for i, key := range keys {
		entries[i].key, entries[i].key_length = cBytes([]byte(key))
		entries[i].value, entries[i].value_length = cBytes([]byte(metadata[key]))
	}
	return C.UplinkCustomMetadata{entries: array, count: C.size_t(len(metadata))}
}

// sortedKeys is metadata's keys in order, the order the C API hands entries out in.
func sortedKeys(metadata uplink.CustomMetadata) []string {
	keys := make([]string, 0, len(metadata))
	for key := range metadata {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}

func freeCustom(custom C.UplinkCustomMetadata) {
	if custom.entries == nil {
		return
	}
	for _, entry := range unsafe.Slice(custom.entries, int(custom.count)) {
		C.free(unsafe.Pointer(entry.key))
		C.free(unsafe.Pointer(entry.value))
	}
	C.free(unsafe.Pointer(custom.entries))
}

func systemToC(system uplink.SystemMetadata) C.UplinkSystemMetadata {
	return C.UplinkSystemMetadata{
		created:        unixSeconds(system.Created),
		expires:        unixSeconds(system.Expires),
		content_length: C.int64_t(system.ContentLength),
	}
}
