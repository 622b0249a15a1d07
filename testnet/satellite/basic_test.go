package satellite_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"storj.io/uplink"

	"testnet/network/networktest"
)

// bothBatchPaths runs fn on a new network of nodeCount nodes with the default compressed batch,
// and on another with plain Batch RPCs.
func bothBatchPaths(t *testing.T, nodeCount int, fn func(t *testing.T, ctx context.Context, n *network)) {
	run := func(t *testing.T) { fn(t, context.Background(), newNetwork(t, nodeCount)) }
	t.Run("compressed", run)
	t.Run("plain", func(t *testing.T) {
		t.Setenv("STORJ_COMPRESSED_BATCH", "false")
		run(t)
	})
}

func TestBucketsAndInlineObjects(t *testing.T) {
	bothBatchPaths(t, 0, func(t *testing.T, ctx context.Context, n *network) {
		project := n.project(n.access(""))

		if _, err := project.CreateBucket(ctx, "alpha"); err != nil {
			t.Fatal(err)
		}
		if _, err := project.CreateBucket(ctx, "alpha"); !errors.Is(err, uplink.ErrBucketAlreadyExists) {
			t.Fatalf("duplicate bucket: %v", err)
		}
		if _, err := project.EnsureBucket(ctx, "alpha"); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"A", "Upper", "a_b", "-ab", "192.168.1.1", strings.Repeat("a", 64)} {
			if _, err := project.CreateBucket(ctx, bad); !errors.Is(err, uplink.ErrBucketNameInvalid) {
				t.Fatalf("bucket %q: want ErrBucketNameInvalid, got %v", bad, err)
			}
		}
		if _, err := project.StatBucket(ctx, "missing"); !errors.Is(err, uplink.ErrBucketNotFound) {
			t.Fatalf("stat missing bucket: %v", err)
		}
		if _, err := project.CreateBucket(ctx, "beta"); err != nil {
			t.Fatal(err)
		}
		var names []string
		buckets := project.ListBuckets(ctx, nil)
		for buckets.Next() {
			names = append(names, buckets.Item().Name)
		}
		if buckets.Err() != nil || fmt.Sprint(names) != "[alpha beta]" {
			t.Fatalf("list buckets: %v %v", names, buckets.Err())
		}

		for _, size := range []int{0, 1, 20, 4095, 4096} {
			mustRoundTrip(t, ctx, project, "alpha", fmt.Sprintf("inline/%d", size), networktest.RandomData(t, size))
		}
		obj, err := project.StatObject(ctx, "alpha", "inline/20")
		if err != nil || obj.System.ContentLength != 20 {
			t.Fatalf("stat: %+v %v", obj, err)
		}
		if _, err := project.StatObject(ctx, "alpha", "missing"); !errors.Is(err, uplink.ErrObjectNotFound) {
			t.Fatalf("stat missing: %v", err)
		}
		if _, err := project.StatObject(ctx, "nobucket", "missing"); !errors.Is(err, uplink.ErrObjectNotFound) {
			t.Fatalf("stat in missing bucket: %v", err)
		}
		if _, err := project.DownloadObject(ctx, "alpha", "missing", nil); !errors.Is(err, uplink.ErrObjectNotFound) {
			t.Fatalf("download missing: %v", err)
		}
		if err := upload(t, ctx, project, "nobucket", "x", []byte("x"), nil); !errors.Is(err, uplink.ErrBucketNotFound) {
			t.Fatalf("upload to missing bucket: %v", err)
		}
		longKey := strings.Repeat("k", 20000)
		if err := upload(t, ctx, project, "alpha", longKey, []byte("x"), nil); err == nil {
			t.Fatal("20,000-character key accepted")
		}
		if err := upload(t, ctx, project, "alpha", "expired", []byte("x"), &uplink.UploadOptions{Expires: time.Now().Add(-time.Hour)}); err == nil {
			t.Fatal("past expiration accepted")
		}
		bigMeta := uplink.CustomMetadata{"k": strings.Repeat("v", 3000)}
		up, err := project.UploadObject(ctx, "alpha", "bigmeta", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := up.SetCustomMetadata(ctx, bigMeta); err != nil {
			t.Fatal(err)
		}
		if err := up.Commit(); err == nil {
			t.Fatal("3000-byte metadata accepted")
		}

		// Metadata, update, delete.
		up, err = project.UploadObject(ctx, "alpha", "meta", &uplink.UploadOptions{Expires: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = up.Write([]byte("hello"))
		if err := up.SetCustomMetadata(ctx, uplink.CustomMetadata{"a": "b c", "ü": "ß"}); err != nil {
			t.Fatal(err)
		}
		if err := up.Commit(); err != nil {
			t.Fatal(err)
		}
		obj, err = project.StatObject(ctx, "alpha", "meta")
		if err != nil || obj.Custom["a"] != "b c" || obj.Custom["ü"] != "ß" || obj.System.Expires.IsZero() {
			t.Fatalf("metadata: %+v %v", obj, err)
		}
		if err := project.UpdateObjectMetadata(ctx, "alpha", "meta", uplink.CustomMetadata{"x": "y"}, nil); err != nil {
			t.Fatal(err)
		}
		obj, err = project.StatObject(ctx, "alpha", "meta")
		if err != nil || obj.Custom["x"] != "y" || len(obj.Custom) != 1 {
			t.Fatalf("updated metadata: %+v %v", obj, err)
		}
		if _, err := project.DeleteObject(ctx, "alpha", "meta"); err != nil {
			t.Fatal(err)
		}
		deleted, err := project.DeleteObject(ctx, "alpha", "meta")
		if err != nil || deleted != nil {
			t.Fatalf("delete missing: %v %v", deleted, err)
		}

		if _, err := project.DeleteBucket(ctx, "alpha"); !errors.Is(err, uplink.ErrBucketNotEmpty) {
			t.Fatalf("delete non-empty bucket: %v", err)
		}
		if _, err := project.DeleteBucketWithObjects(ctx, "alpha"); err != nil {
			t.Fatal(err)
		}
		if _, err := project.DeleteBucket(ctx, "beta"); err != nil {
			t.Fatal(err)
		}
		if _, err := project.DeleteBucket(ctx, "beta"); !errors.Is(err, uplink.ErrBucketNotFound) {
			t.Fatalf("delete missing bucket: %v", err)
		}
	})
}

func listKeys(t *testing.T, ctx context.Context, project *uplink.Project, bucket string, opts *uplink.ListObjectsOptions) []string {
	t.Helper()
	var keys []string
	it := project.ListObjects(ctx, bucket, opts)
	for it.Next() {
		keys = append(keys, it.Item().Key)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	return keys
}

func TestListing(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 0)
	project := n.project(n.access(""), "list")
	for _, key := range []string{"a", "b/c", "b/d/e", "f/g"} {
		mustUpload(t, ctx, project, "list", key, []byte(key))
	}
	if got := fmt.Sprint(listKeys(t, ctx, project, "list", nil)); got != "[a b/ f/]" {
		t.Fatalf("collapsed: %s", got)
	}
	if got := fmt.Sprint(listKeys(t, ctx, project, "list", &uplink.ListObjectsOptions{Recursive: true})); got != "[a b/c b/d/e f/g]" {
		t.Fatalf("recursive: %s", got)
	}
	if got := fmt.Sprint(listKeys(t, ctx, project, "list", &uplink.ListObjectsOptions{Prefix: "b/"})); got != "[b/c b/d/]" {
		t.Fatalf("prefix: %s", got)
	}
	it := project.ListObjects(ctx, "list", &uplink.ListObjectsOptions{Prefix: "b/", Recursive: true, System: true, Custom: true})
	count := 0
	for it.Next() {
		count++
		if it.Item().System.Created.IsZero() {
			t.Fatal("system metadata missing")
		}
	}
	if it.Err() != nil || count != 2 {
		t.Fatalf("prefix recursive: %d %v", count, it.Err())
	}

	const many = 1005
	if _, err := project.CreateBucket(ctx, "many"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < many; i++ {
		mustUpload(t, ctx, project, "many", fmt.Sprintf("obj-%04d", i), nil)
	}
	if got := len(listKeys(t, ctx, project, "many", nil)); got != many {
		t.Fatalf("listed %d of %d", got, many)
	}
	// Encrypted keys sort in ciphertext order: a cursor skips itself and what sorts before it.
	got := listKeys(t, ctx, project, "many", &uplink.ListObjectsOptions{Cursor: "obj-1000"})
	if len(got) >= many || sort.SearchStrings(got, "obj-1000") < len(got) && got[sort.SearchStrings(got, "obj-1000")] == "obj-1000" {
		t.Fatalf("cursor listing returned %d items", len(got))
	}
}
