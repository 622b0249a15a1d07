package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"storj.io/uplink"
)

// chunky returns at most 3 bytes per Read and the last bytes together with io.EOF.
type chunky struct{ data []byte }

func (c *chunky) Read(p []byte) (int, error) {
	n := copy(p, c.data[:min(3, len(c.data))])
	c.data = c.data[n:]
	if len(c.data) == 0 {
		return n, io.EOF
	}
	return n, nil
}

func TestReadFullFillsTheBufferThenReportsEOF(t *testing.T) {
	r := &chunky{data: []byte("0123456789")}
	buf := make([]byte, 4)
	if n, err := readFull(r, buf); n != 4 || err != nil || string(buf) != "0123" {
		t.Fatalf("first: %d %v %q", n, err, buf)
	}
	big := make([]byte, 100)
	if n, err := readFull(r, big); n != 6 || err != io.EOF || string(big[:n]) != "456789" {
		t.Fatalf("last: %d %v %q", n, err, big[:n])
	}
}

func TestCustomMetadataRoundTripKeepsAnyBytes(t *testing.T) {
	metadata := uplink.CustomMetadata{"key\x00with-nul": "value\x00\xff", "empty": "", "k": "v"}
	c := customToC(metadata)
	defer freeCustom(c)
	back := customFromC(c)
	if len(back) != len(metadata) {
		t.Fatalf("got %v", back)
	}
	for k, v := range metadata {
		if back[k] != v {
			t.Fatalf("%q: got %q want %q", k, back[k], v)
		}
	}
}

func TestObjectToCAndFree(t *testing.T) {
	created := time.Unix(1700000000, 0)
	c := objectToC(&uplink.Object{Key: "a/b", System: uplink.SystemMetadata{Created: created, ContentLength: 42},
		Custom: uplink.CustomMetadata{"x": "y"}})
	if c.system.created != 1700000000 || c.system.expires != 0 || c.system.content_length != 42 || c.custom.count != 1 {
		t.Fatalf("bad conversion: %+v", c.system)
	}
	uplink_free_object(c)
	part := partToC(&uplink.Part{PartNumber: 3, Size: 10, ETag: []byte("etag")})
	if part.part_number != 3 || part.etag_length != 4 || !bytes.Equal(cBufferSlice(unsafe.Pointer(part.etag), part.etag_length), []byte("etag")) {
		t.Fatal("bad part conversion")
	}
	uplink_free_part(part)
}

// Entries come out sorted by key, as upstream uplink-c hands them out, whatever Go's map order.
func TestCustomMetadataEntriesAreSortedByKey(t *testing.T) {
	metadata := uplink.CustomMetadata{}
	var want []string
	for i := range 64 {
		key := fmt.Sprintf("key-%02d", i)
		metadata[key] = "v" + key
		want = append(want, key)
	}
	for range 3 { // a map walk may come out sorted by chance once, not three times over 64 keys
		c := customToC(metadata)
		var got []string
		for _, entry := range unsafe.Slice(c.entries, int(c.count)) {
			key := string(cBufferSlice(unsafe.Pointer(entry.key), entry.key_length))
			if value := string(cBufferSlice(unsafe.Pointer(entry.value), entry.value_length)); value != "v"+key {
				t.Fatalf("%s: value %q", key, value)
			}
			got = append(got, key)
		}
		freeCustom(c)
		if !slices.Equal(got, want) {
			t.Fatalf("entries in order %v", got)
		}
	}
}

// A call on one object or multipart upload reads its names and, when one is NULL, names it (the
// bucket's first, then the key's, then the upload ID's).
func TestObjectNamesNameTheNullArgument(t *testing.T) {
	b := bucketToC(&uplink.Bucket{Name: "bucket"})
	defer uplink_free_bucket(b)
	o := objectToC(&uplink.Object{Key: "key"})
	defer uplink_free_object(o)
	bucketName := (*_Ctype_uplink_const_char)(unsafe.Pointer(b.name))
	objectKey := (*_Ctype_uplink_const_char)(unsafe.Pointer(o.key))
	if bucket, key, err := objectNames(bucketName, objectKey); bucket != "bucket" || key != "key" || err != nil {
		t.Fatalf("objectNames: %q %q %v", bucket, key, err)
	}
	for _, c := range []struct {
		bucket, key, id *_Ctype_uplink_const_char
		missing         string
	}{
		{nil, nil, nil, "bucket_name"},
		{nil, objectKey, objectKey, "bucket_name"},
		{bucketName, nil, nil, "object_key"},
		{bucketName, objectKey, nil, "upload_id"},
	} {
		_, _, _, err := multipartNames(c.bucket, c.key, c.id)
		if !errors.Is(err, errNull) || !strings.HasSuffix(err.Error(), ": "+c.missing) {
			t.Fatalf("want the NULL %s named, got %v", c.missing, err)
		}
	}
}

// A page of objects is one block: every key and metadata string it points at lies inside it, each
// NUL-terminated, with the entries in key order and the fields those of the item-by-item copy.
func TestObjectsToCPacksAPageIntoOneBlock(t *testing.T) {
	created := time.Unix(1700000000, 0)
	objects := []*uplink.Object{
		{Key: "a/ключ", System: uplink.SystemMetadata{Created: created, ContentLength: 42},
			Custom: uplink.CustomMetadata{"z": "last", "a": "", "名前": "値"}},
		{Key: "", IsPrefix: true},
		{Key: "b", System: uplink.SystemMetadata{Expires: created.Add(time.Hour)}},
	}
	array, size := objectsToC(objects)
	if array == nil {
		t.Fatal("no block")
	}
	defer upy_free_object_array(_Ctype_struct_UpyObjectArray{objects: array, count: _Ctype_size_t(len(objects))})
	text := func(p *_Ctype_char, n _Ctype_size_t) string { return string(cBufferSlice(unsafe.Pointer(p), n)) }
	start, end := uintptr(unsafe.Pointer(array)), uintptr(unsafe.Pointer(array))+uintptr(size)
	inside := func(p unsafe.Pointer, n int) bool {
		return uintptr(p) >= start && uintptr(p)+uintptr(n) < end && *(*byte)(unsafe.Add(p, n)) == 0
	}
	for i, got := range unsafe.Slice(array, len(objects)) {
		want := objectToC(objects[i])
		key := goString((*_Ctype_uplink_const_char)(unsafe.Pointer(got.key)))
		if key != objects[i].Key || !inside(unsafe.Pointer(got.key), len(key)) || got.is_prefix != want.is_prefix ||
			got.system != want.system || got.custom.count != want.custom.count {
			t.Errorf("object %d: key %q prefix %v system %v entries %d", i, key, got.is_prefix, got.system, got.custom.count)
		}
		entriesAt := uintptr(unsafe.Pointer(got.custom.entries))
		if got.custom.count > 0 && (entriesAt < start || entriesAt+uintptr(got.custom.count)*unsafe.Sizeof(*got.custom.entries) > end) {
			t.Errorf("object %d: entries outside the block", i)
		}
		wantEntries := unsafe.Slice(want.custom.entries, int(want.custom.count))
		for j, entry := range unsafe.Slice(got.custom.entries, int(got.custom.count)) {
			k := text(entry.key, entry.key_length)
			v := text(entry.value, entry.value_length)
			if k != text(wantEntries[j].key, wantEntries[j].key_length) || v != objects[i].Custom[k] ||
				!inside(unsafe.Pointer(entry.key), int(entry.key_length)) || !inside(unsafe.Pointer(entry.value), int(entry.value_length)) {
				t.Errorf("object %d entry %d: %q=%q", i, j, k, v)
			}
		}
		uplink_free_object(want)
	}
	if none, n := objectsToC(nil); none != nil || n != 0 {
		t.Error("an empty page should be NULL")
	}
}
