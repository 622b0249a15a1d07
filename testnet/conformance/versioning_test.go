package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"storj.io/common/errs2"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"
	"storj.io/uplink"
	"storj.io/uplink/private/bucket"
	"storj.io/uplink/private/metaclient"
	"storj.io/uplink/private/object"

	"testnet/network/networktest"
)

// uploadVersion uploads through private/object and returns the version the commit made.
func uploadVersion(t *testing.T, project *uplink.Project, bucketName, key string, data []byte, options *object.UploadOptions) ([]byte, error) {
	t.Helper()
	up, err := object.UploadObject(context.Background(), project, bucketName, key, options)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(up, bytes.NewReader(data)); err != nil {
		_ = up.Abort()
		return nil, err
	}
	if err := up.Commit(); err != nil {
		return nil, err
	}
	// The client reports a version only for versioned objects (as the real satellite makes them).
	info := up.Info()
	if info == nil || (info.IsVersioned && len(info.Version) != 16) || (!info.IsVersioned && len(info.Version) != 0) {
		t.Fatalf("upload %s: version after commit: %+v", key, info)
	}
	return info.Version, nil
}

func mustUploadVersion(t *testing.T, project *uplink.Project, bucketName, key string, data []byte, options *object.UploadOptions) []byte {
	t.Helper()
	version, err := uploadVersion(t, project, bucketName, key, data, options)
	if err != nil {
		t.Fatalf("upload %s: %v", key, err)
	}
	return version
}

func downloadVersion(t *testing.T, project *uplink.Project, bucketName, key string, version []byte) []byte {
	t.Helper()
	down, err := object.DownloadObject(context.Background(), project, bucketName, key, version, nil)
	if err != nil {
		t.Fatalf("download %s@%x: %v", key, version, err)
	}
	defer func() { _ = down.Close() }()
	data, err := io.ReadAll(down)
	if err != nil {
		t.Fatalf("read %s@%x: %v", key, version, err)
	}
	return data
}

func listVersions(t *testing.T, project *uplink.Project, bucketName string) []*object.VersionedObject {
	t.Helper()
	versions, more, err := object.ListObjectVersions(context.Background(), project, bucketName, &object.ListObjectVersionsOptions{Recursive: true, System: true})
	if err != nil || more {
		t.Fatalf("list versions of %s: more=%v err=%v", bucketName, more, err)
	}
	return versions
}

func requireErrorIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

// setVersioning enables (or suspends) a bucket's versioning, failing the test on error.
func setVersioning(t *testing.T, project *uplink.Project, name string, enabled bool) {
	t.Helper()
	if err := bucket.SetBucketVersioning(context.Background(), project, name, enabled); err != nil {
		t.Fatalf("set versioning of %s to %v: %v", name, enabled, err)
	}
}

func TestVersionedBucket(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "versioned")

	state, err := bucket.GetBucketVersioning(ctx, project, "versioned")
	if err != nil || state != 1 {
		t.Fatalf("new bucket: versioning state %d (%v), want 1 (unversioned)", state, err)
	}
	if err := bucket.SetBucketVersioning(ctx, project, "versioned", false); !errs2.IsRPC(err, rpcstatus.FailedPrecondition) {
		t.Fatalf("suspend a never versioned bucket: %v, want FailedPrecondition", err)
	}
	setVersioning(t, project, "versioned", true)
	if state, _ := bucket.GetBucketVersioning(ctx, project, "versioned"); state != 2 {
		t.Fatalf("versioning state %d after enabling, want 2", state)
	}

	first, second := networktest.RandomData(t, 10<<10), networktest.RandomData(t, 3000)
	v1 := mustUploadVersion(t, project, "versioned", "key", first, nil)
	v2 := mustUploadVersion(t, project, "versioned", "key", second, nil)
	if bytes.Equal(v1, v2) {
		t.Fatal("two uploads got the same version")
	}
	requireSameSHA256(t, "version 1", first, downloadVersion(t, project, "versioned", "key", v1))
	requireSameSHA256(t, "version 2", second, downloadVersion(t, project, "versioned", "key", v2))
	requireSameSHA256(t, "latest", second, download(t, project, "versioned", "key", nil))

	deleted, err := object.DeleteObject(ctx, project, "versioned", "key", nil, nil)
	if err != nil || deleted == nil || !deleted.IsDeleteMarker {
		t.Fatalf("plain delete: %+v, %v; want a delete marker", deleted, err)
	}
	if _, err := project.StatObject(ctx, "versioned", "key"); !errors.Is(err, uplink.ErrObjectNotFound) {
		t.Fatalf("stat after delete: %v, want not found", err)
	}
	if _, err := object.StatObject(ctx, project, "versioned", "key", deleted.Version); !errors.Is(err, object.ErrMethodNotAllowed) {
		t.Fatalf("stat of the delete marker: %v, want method not allowed", err)
	}
	versions := listVersions(t, project, "versioned")
	if len(versions) != 3 || !versions[0].IsDeleteMarker || !versions[0].IsLatest ||
		!bytes.Equal(versions[1].Version, v2) || !bytes.Equal(versions[2].Version, v1) || versions[1].IsLatest {
		t.Fatalf("version listing after delete: %+v", versions)
	}
	if objects, _, _ := object.ListObjects(ctx, project, "versioned", &object.ListObjectsOptions{Recursive: true}); len(objects) != 0 {
		t.Fatalf("plain listing shows %d objects behind a delete marker", len(objects))
	}

	if _, err := object.DeleteObject(ctx, project, "versioned", "key", deleted.Version, nil); err != nil {
		t.Fatalf("delete the marker: %v", err)
	}
	requireSameSHA256(t, "latest after removing the marker", second, download(t, project, "versioned", "key", nil))
	if _, err := object.DeleteObject(ctx, project, "versioned", "key", v2, nil); err != nil {
		t.Fatal(err)
	}
	requireSameSHA256(t, "latest after removing version 2", first, download(t, project, "versioned", "key", nil))
	if got := listVersions(t, project, "versioned"); len(got) != 1 || !bytes.Equal(got[0].Version, v1) {
		t.Fatalf("versions left: %+v", got)
	}
}

func TestSuspendedVersioning(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "suspended")
	setVersioning(t, project, "suspended", true)
	kept := mustUploadVersion(t, project, "suspended", "key", []byte("versioned"), nil)
	setVersioning(t, project, "suspended", false)
	if state, _ := bucket.GetBucketVersioning(ctx, project, "suspended"); state != 3 {
		t.Fatalf("state %d after suspending, want 3", state)
	}
	mustUploadVersion(t, project, "suspended", "key", []byte("null one"), nil)
	mustUploadVersion(t, project, "suspended", "key", []byte("null two"), nil)
	requireSameSHA256(t, "latest null version", []byte("null two"), download(t, project, "suspended", "key", nil))
	versions := listVersions(t, project, "suspended")
	if len(versions) != 2 || versions[0].IsVersioned || !versions[0].IsLatest ||
		!bytes.Equal(versions[1].Version, kept) || !versions[1].IsVersioned {
		t.Fatalf("a suspended bucket's second null version must replace the first and keep the versioned one: %+v", versions)
	}
	deleted, err := object.DeleteObject(ctx, project, "suspended", "key", nil, nil)
	if err != nil || !deleted.IsDeleteMarker || deleted.IsVersioned {
		t.Fatalf("delete in a suspended bucket: %+v, %v; want an unversioned marker", deleted, err)
	}
	versions = listVersions(t, project, "suspended")
	if len(versions) != 2 || !versions[0].IsDeleteMarker || !bytes.Equal(versions[1].Version, kept) {
		t.Fatalf("after delete: the null version is replaced by the marker, the versioned one stays: %+v", versions)
	}
	if _, err := object.DeleteObject(ctx, project, "suspended", "missing", nil, nil); !errors.Is(err, uplink.ErrObjectNotFound) {
		t.Fatalf("delete of a missing key in a suspended bucket: %v, want not found", err)
	}
}

func TestObjectLock(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "plain")
	if _, err := bucket.CreateBucketWithObjectLock(ctx, project, bucket.CreateBucketWithObjectLockParams{Name: "locked", ObjectLockEnabled: true}); err != nil {
		t.Fatal(err)
	}
	if state, _ := bucket.GetBucketVersioning(ctx, project, "locked"); state != 2 {
		t.Fatalf("Object Lock bucket: versioning state %d, want 2", state)
	}
	requireErrorIs(t, "suspend an Object Lock bucket", bucket.SetBucketVersioning(ctx, project, "locked", false), bucket.ErrBucketInvalidStateObjectLock)

	t.Run("compliance", func(t *testing.T) {
		until := time.Now().Add(3 * time.Second)
		version := mustUploadVersion(t, project, "locked", "compliance", []byte("kept"), &object.UploadOptions{
			Retention: metaclient.Retention{Mode: storj.ComplianceMode, RetainUntil: until},
		})
		got, err := object.GetObjectRetention(ctx, project, "locked", "compliance", version)
		if err != nil || got.Mode != storj.ComplianceMode || !got.RetainUntil.Equal(until) {
			t.Fatalf("retention %+v, %v", got, err)
		}
		_, err = object.DeleteObject(ctx, project, "locked", "compliance", version, nil)
		requireErrorIs(t, "delete a compliance version", err, object.ErrObjectProtected)
		_, err = object.DeleteObject(ctx, project, "locked", "compliance", version, &object.DeleteObjectOptions{BypassGovernanceRetention: true})
		requireErrorIs(t, "delete a compliance version with the bypass", err, object.ErrObjectProtected)
		err = object.SetObjectRetention(ctx, project, "locked", "compliance", version,
			metaclient.Retention{Mode: storj.ComplianceMode, RetainUntil: until.Add(-time.Second)}, nil)
		requireErrorIs(t, "shorten compliance", err, object.ErrObjectProtected)
		err = object.SetObjectRetention(ctx, project, "locked", "compliance", version, metaclient.Retention{}, &object.SetObjectRetentionOptions{BypassGovernanceRetention: true})
		requireErrorIs(t, "remove compliance", err, object.ErrObjectProtected)
		time.Sleep(time.Until(until) + 100*time.Millisecond)
		if _, err := object.DeleteObject(ctx, project, "locked", "compliance", version, nil); err != nil {
			t.Fatalf("delete after the retention passed: %v", err)
		}
	})

	t.Run("governance", func(t *testing.T) {
		version := mustUploadVersion(t, project, "locked", "governance", []byte("kept"), &object.UploadOptions{
			Retention: metaclient.Retention{Mode: storj.GovernanceMode, RetainUntil: time.Now().Add(time.Hour)},
		})
		_, err := object.DeleteObject(ctx, project, "locked", "governance", version, nil)
		requireErrorIs(t, "delete a governance version", err, object.ErrObjectProtected)
		marker, err := object.DeleteObject(ctx, project, "locked", "governance", nil, nil)
		if err != nil || !marker.IsDeleteMarker {
			t.Fatalf("a delete without version only writes a marker, even over a locked version: %+v %v", marker, err)
		}
		if _, err := object.DeleteObject(ctx, project, "locked", "governance", version, &object.DeleteObjectOptions{BypassGovernanceRetention: true}); err != nil {
			t.Fatalf("delete with the governance bypass: %v", err)
		}
	})

	t.Run("legal hold", func(t *testing.T) {
		version := mustUploadVersion(t, project, "locked", "held", []byte("kept"), nil)
		if err := object.SetObjectLegalHold(ctx, project, "locked", "held", version, true); err != nil {
			t.Fatal(err)
		}
		if held, err := object.GetObjectLegalHold(ctx, project, "locked", "held", version); err != nil || !held {
			t.Fatalf("legal hold %v, %v", held, err)
		}
		_, err := object.DeleteObject(ctx, project, "locked", "held", version, &object.DeleteObjectOptions{BypassGovernanceRetention: true})
		requireErrorIs(t, "delete under legal hold", err, object.ErrObjectProtected)
		if err := object.SetObjectLegalHold(ctx, project, "locked", "held", version, false); err != nil {
			t.Fatal(err)
		}
		if _, err := object.DeleteObject(ctx, project, "locked", "held", version, nil); err != nil {
			t.Fatalf("delete after lifting the hold: %v", err)
		}
	})

	t.Run("default retention", func(t *testing.T) {
		config := &metaclient.BucketObjectLockConfiguration{Enabled: true, DefaultRetention: &metaclient.DefaultRetention{Mode: storj.GovernanceMode, Days: 2}}
		if err := bucket.SetBucketObjectLockConfiguration(ctx, project, "locked", config); err != nil {
			t.Fatal(err)
		}
		got, err := bucket.GetBucketObjectLockConfiguration(ctx, project, "locked")
		if err != nil || got.DefaultRetention == nil || got.DefaultRetention.Days != 2 || got.DefaultRetention.Mode != storj.GovernanceMode {
			t.Fatalf("configuration %+v, %v", got, err)
		}
		before := time.Now()
		version := mustUploadVersion(t, project, "locked", "defaulted", []byte("kept"), nil)
		retention, err := object.GetObjectRetention(ctx, project, "locked", "defaulted", version)
		if err != nil || retention.Mode != storj.GovernanceMode || retention.RetainUntil.Before(before.AddDate(0, 0, 2)) {
			t.Fatalf("default retention not applied: %+v, %v", retention, err)
		}
		_, err = uploadVersion(t, project, "locked", "expiring", []byte("x"), &object.UploadOptions{Expires: time.Now().Add(time.Hour)})
		requireErrorIs(t, "expiration with default retention", err, object.ErrObjectLockUploadWithTTLAndDefaultRetention)
		if err := bucket.SetBucketObjectLockConfiguration(ctx, project, "locked", &metaclient.BucketObjectLockConfiguration{Enabled: true}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("bucket without Object Lock", func(t *testing.T) {
		version := mustUploadVersion(t, project, "plain", "key", []byte("x"), nil)
		until := time.Now().Add(time.Hour)
		requireErrorIs(t, "set retention", object.SetObjectRetention(ctx, project, "plain", "key", version, metaclient.Retention{Mode: storj.ComplianceMode, RetainUntil: until}, nil), bucket.ErrBucketNoLock)
		_, err := object.GetObjectRetention(ctx, project, "plain", "key", version)
		requireErrorIs(t, "get retention", err, bucket.ErrBucketNoLock)
		requireErrorIs(t, "set legal hold", object.SetObjectLegalHold(ctx, project, "plain", "key", version, true), bucket.ErrBucketNoLock)
		_, err = bucket.GetBucketObjectLockConfiguration(ctx, project, "plain")
		requireErrorIs(t, "get configuration", err, bucket.ErrBucketNoLock)
		_, err = uploadVersion(t, project, "plain", "retained", []byte("x"), &object.UploadOptions{Retention: metaclient.Retention{Mode: storj.ComplianceMode, RetainUntil: until}})
		if err == nil {
			t.Fatal("an upload with retention into a bucket without Object Lock succeeded")
		}
	})
}

func TestConditionalWrite(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "conditional")
	first := networktest.RandomData(t, 5000)
	options := &object.UploadOptions{IfNoneMatch: []string{"*"}}
	mustUploadVersion(t, project, "conditional", "key", first, options)
	_, err := uploadVersion(t, project, "conditional", "key", []byte("second"), options)
	requireErrorIs(t, "second conditional upload", err, object.ErrFailedPrecondition)
	requireSameSHA256(t, "first object after the refused upload", first, download(t, project, "conditional", "key", nil))
	_, err = uploadVersion(t, project, "conditional", "other", []byte("x"), &object.UploadOptions{IfNoneMatch: []string{"etag"}})
	requireErrorIs(t, "If-None-Match other than *", err, object.ErrUnimplemented)
	if _, err := project.DeleteObject(ctx, "conditional", "key"); err != nil {
		t.Fatal(err)
	}
	mustUploadVersion(t, project, "conditional", "key", []byte("after delete"), options)
}

func TestDeleteObjects(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "batch")
	const count = 500
	items := make([]object.DeleteObjectsItem, 0, count+1)
	for i := 0; i < count; i++ {
		key := fmt.Sprintf("key-%03d", i)
		upload(t, project, "batch", key, []byte(key))
		items = append(items, object.DeleteObjectsItem{ObjectKey: key})
	}
	items = append(items, object.DeleteObjectsItem{ObjectKey: "missing"})
	results, err := object.DeleteObjects(ctx, project, "batch", items, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != count+1 {
		t.Fatalf("%d results for %d items", len(results), count+1)
	}
	ok := 0
	for _, r := range results {
		switch {
		case r.ObjectKey == "missing" && r.Status == storj.DeleteObjectsStatusNotFound:
		case r.Status == storj.DeleteObjectsStatusOK && r.Removed != nil:
			ok++
		default:
			t.Fatalf("unexpected result %+v", r)
		}
	}
	if ok != count {
		t.Fatalf("%d of %d deleted", ok, count)
	}
	if objects, _, _ := object.ListObjects(ctx, project, "batch", &object.ListObjectsOptions{Recursive: true}); len(objects) != 0 {
		t.Fatalf("%d objects left", len(objects))
	}
	_, err = object.DeleteObjects(ctx, project, "batch", make([]object.DeleteObjectsItem, 1001), nil)
	if err == nil {
		t.Fatal("1001 items accepted")
	}
}

func TestCopyAndMoveWithVersioning(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access())
	if _, err := bucket.CreateBucketWithObjectLock(ctx, project, bucket.CreateBucketWithObjectLockParams{Name: "locked", ObjectLockEnabled: true}); err != nil {
		t.Fatal(err)
	}
	old := mustUploadVersion(t, project, "locked", "target", []byte("old"), nil)
	mustUploadVersion(t, project, "locked", "source", []byte("new"), &object.UploadOptions{LegalHold: true})
	if _, err := project.CopyObject(ctx, "locked", "source", "locked", "target", nil); err != nil {
		t.Fatal(err)
	}
	requireSameSHA256(t, "copy", []byte("new"), download(t, project, "locked", "target", nil))
	requireSameSHA256(t, "the version the copy covered", []byte("old"), downloadVersion(t, project, "locked", "target", old))
	if held, err := object.GetObjectLegalHold(ctx, project, "locked", "target", nil); err != nil || held {
		t.Fatalf("a copy does not inherit the legal hold: %v %v", held, err)
	}
	if err := project.MoveObject(ctx, "locked", "source", "locked", "moved", nil); !errs2.IsRPC(err, rpcstatus.ObjectLockObjectProtected) {
		t.Fatalf("move a held version: %v, want ObjectLockObjectProtected", err)
	}
	if err := project.MoveObject(ctx, "locked", "target", "locked", "moved", nil); err != nil {
		t.Fatal(err)
	}
	requireSameSHA256(t, "after moving the latest, the older version is the latest", []byte("old"), download(t, project, "locked", "target", nil))
	requireSameSHA256(t, "moved", []byte("new"), download(t, project, "locked", "moved", nil))
}

// Version listings page with a (key, version) cursor and never repeat or skip a version.
func TestVersionListingPages(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "pages")
	setVersioning(t, project, "pages", true)
	want := map[string]bool{}
	for _, key := range []string{"a", "b", "c"} {
		for i := 0; i < 3; i++ {
			want[string(mustUploadVersion(t, project, "pages", "dir/"+key, []byte(key), nil))] = true
		}
	}
	options := &object.ListObjectVersionsOptions{Prefix: "dir/", Limit: 2}
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		page, more, err := object.ListObjectVersions(ctx, project, "pages", options)
		if err != nil || pages > 10 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, o := range page {
			if seen[string(o.Version)] {
				t.Fatalf("version %x listed twice", o.Version)
			}
			seen[string(o.Version)] = true
		}
		if !more {
			break
		}
		last := page[len(page)-1]
		options.Cursor, options.VersionCursor = last.Key, last.Version
	}
	if len(seen) != len(want) {
		t.Fatalf("listed %d versions, want %d", len(seen), len(want))
	}
}
