package satellite_test

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"testing"

	"storj.io/uplink"

	"testnet/network/networktest"
)

func TestMultipart(t *testing.T) {
	bothBatchPaths(t, 5, func(t *testing.T, ctx context.Context, n *network) {
		project := n.project(n.access(""), "mpu")
		info, err := project.BeginUpload(ctx, "mpu", "dir/file", nil)
		if err != nil {
			t.Fatal(err)
		}
		// Every part but the last holds at least the satellite's minimum part size (5 MiB).
		const first = 5 << 20
		parts := map[uint32][]byte{1: networktest.RandomData(t, first), 3: networktest.RandomData(t, 1000)}
		for _, number := range []uint32{3, 1} { // out of order and sparse
			part, err := project.UploadPart(ctx, "mpu", "dir/file", info.UploadID, number)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := part.Write(parts[number]); err != nil {
				t.Fatal(err)
			}
			if err := part.SetETag([]byte("etag")); err != nil {
				t.Fatal(err)
			}
			if err := part.Commit(); err != nil {
				t.Fatalf("commit part %d: %v", number, err)
			}
		}
		for _, opts := range []*uplink.ListUploadsOptions{{Prefix: "dir/"}, {Prefix: "dir/file"}} {
			uploads := project.ListUploads(ctx, "mpu", opts)
			found := false
			for uploads.Next() {
				found = found || uploads.Item().UploadID == info.UploadID
			}
			if uploads.Err() != nil || !found {
				t.Fatalf("list uploads %q: found=%v err=%v", opts.Prefix, found, uploads.Err())
			}
		}
		partsIt := project.ListUploadParts(ctx, "mpu", "dir/file", info.UploadID, nil)
		var numbers []uint32
		for partsIt.Next() {
			numbers = append(numbers, partsIt.Item().PartNumber)
			if string(partsIt.Item().ETag) != "etag" || partsIt.Item().Modified.IsZero() {
				t.Fatalf("part %+v", partsIt.Item())
			}
		}
		sort.Slice(numbers, func(i, j int) bool { return numbers[i] < numbers[j] })
		if partsIt.Err() != nil || len(numbers) != 2 || numbers[0] != 1 || numbers[1] != 3 {
			t.Fatalf("list parts: %v %v", numbers, partsIt.Err())
		}
		obj, err := project.CommitUpload(ctx, "mpu", "dir/file", info.UploadID, &uplink.CommitUploadOptions{
			CustomMetadata: uplink.CustomMetadata{"k": "v"},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]byte{}, parts[1]...), parts[3]...)
		if obj.System.ContentLength != int64(len(want)) {
			t.Fatalf("content length %d, want %d", obj.System.ContentLength, len(want))
		}
		got, err := download(t, ctx, project, "mpu", "dir/file", nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("download multipart: %d bytes, %v", len(got), err)
		}
		got, err = download(t, ctx, project, "mpu", "dir/file", &uplink.DownloadOptions{Offset: first - 10, Length: 20})
		if err != nil || !bytes.Equal(got, want[first-10:first+10]) {
			t.Fatalf("ranged multipart download across parts: %v", err)
		}

		aborted, err := project.BeginUpload(ctx, "mpu", "aborted", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := project.AbortUpload(ctx, "mpu", "aborted", aborted.UploadID); err != nil {
			t.Fatal(err)
		}
		if err := project.AbortUpload(ctx, "mpu", "aborted", aborted.UploadID); !errors.Is(err, uplink.ErrUploadIDInvalid) && !errors.Is(err, uplink.ErrObjectNotFound) {
			t.Fatalf("abort twice: %v", err)
		}
		if _, err := project.StatObject(ctx, "mpu", "aborted"); !errors.Is(err, uplink.ErrObjectNotFound) {
			t.Fatalf("stat aborted: %v", err)
		}
	})
}

func TestCopyMoveAndRestart(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 5)
	access := n.access("")
	project := n.project(access, "src", "dst")
	remote := networktest.RandomData(t, 100_000)
	up, err := project.UploadObject(ctx, "src", "remote", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = up.Write(remote)
	_ = up.SetCustomMetadata(ctx, uplink.CustomMetadata{"m": "1"})
	if err := up.Commit(); err != nil {
		t.Fatal(err)
	}
	mustUpload(t, ctx, project, "src", "inline", []byte("small"))

	if _, err := project.CopyObject(ctx, "src", "remote", "dst", "copy", nil); err != nil {
		t.Fatalf("copy: %v", err)
	}
	if err := project.MoveObject(ctx, "src", "inline", "dst", "moved/inline", nil); err != nil {
		t.Fatalf("move: %v", err)
	}
	if _, err := project.StatObject(ctx, "src", "inline"); !errors.Is(err, uplink.ErrObjectNotFound) {
		t.Fatalf("moved source still there: %v", err)
	}
	if err := project.MoveObject(ctx, "src", "missing", "dst", "x", nil); !errors.Is(err, uplink.ErrObjectNotFound) {
		t.Fatalf("move missing: %v", err)
	}
	// Deleting the source must not hurt the copy, even after garbage collection.
	if _, err := project.DeleteObject(ctx, "src", "remote"); err != nil {
		t.Fatal(err)
	}
	if err := n.sat.CollectGarbage(ctx); err != nil {
		t.Fatal(err)
	}

	keyBefore, _ := n.sat.DefaultAPIKey(ctx)
	n.restartSatellite()
	keyAfter, err := n.sat.DefaultAPIKey(ctx)
	if err != nil || keyAfter != keyBefore {
		t.Fatalf("default key changed across restart: %v", err)
	}
	project = n.project(access) // the grant made before the restart still works
	got, err := download(t, ctx, project, "dst", "copy", nil)
	if err != nil || !bytes.Equal(got, remote) {
		t.Fatalf("copy after restart: %d bytes, %v", len(got), err)
	}
	obj, err := project.StatObject(ctx, "dst", "copy")
	if err != nil || obj.Custom["m"] != "1" {
		t.Fatalf("copied metadata: %+v %v", obj, err)
	}
	got, err = download(t, ctx, project, "dst", "moved/inline", nil)
	if err != nil || string(got) != "small" {
		t.Fatalf("moved after restart: %q %v", got, err)
	}
	if same := n.access(""); same == nil {
		t.Fatal("no access after restart")
	}
}

func TestGarbageCollection(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 5)
	project := n.project(n.access(""), "gcb")
	data := networktest.RandomData(t, 500_000)
	mustUpload(t, ctx, project, "gcb", "keep", data)
	mustUpload(t, ctx, project, "gcb", "drop", networktest.RandomData(t, 500_000))
	if err := n.sat.CollectGarbage(ctx); err != nil {
		t.Fatal(err)
	}
	// Only committed pieces survive: at least optimal (4), at most total (5) per segment.
	if c := n.pieceCount(); c < 8 || c > 10 {
		t.Fatalf("pieces after collection: %d", c)
	}
	if _, err := project.DeleteObject(ctx, "gcb", "drop"); err != nil {
		t.Fatal(err)
	}
	if err := n.sat.CollectGarbage(ctx); err != nil {
		t.Fatal(err)
	}
	if c := n.pieceCount(); c < 4 || c > 5 {
		t.Fatalf("pieces after deleting one object: %d", c)
	}
	got, err := download(t, ctx, project, "gcb", "keep", nil)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("kept object after collection: %v", err)
	}
	if _, err := project.DeleteObject(ctx, "gcb", "keep"); err != nil {
		t.Fatal(err)
	}
	if err := n.sat.CollectGarbage(ctx); err != nil {
		t.Fatal(err)
	}
	if c := n.pieceCount(); c != 0 {
		t.Fatalf("pieces left after deleting everything: %d", c)
	}
}
