package satellite_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"storj.io/uplink"

	"testnet/satellite"
)

func satelliteLimits(storage, bandwidth, segments int64) satellite.ProjectLimits {
	return satellite.ProjectLimits{StorageBytes: storage, BandwidthBytes: bandwidth, Segments: segments}
}

func TestSharesAndRevocation(t *testing.T) {
	bothBatchPaths(t, 0, func(t *testing.T, ctx context.Context, n *network) {
		root := n.access("")
		project := n.project(root, "shared", "other")
		mustUpload(t, ctx, project, "shared", "docs/a", []byte("a"))
		mustUpload(t, ctx, project, "shared", "private/b", []byte("b"))

		readOnly, err := root.Share(uplink.ReadOnlyPermission(), uplink.SharePrefix{Bucket: "shared", Prefix: "docs/"})
		if err != nil {
			t.Fatal(err)
		}
		ro := n.project(readOnly)
		if got, err := download(t, ctx, ro, "shared", "docs/a", nil); err != nil || string(got) != "a" {
			t.Fatalf("read allowed object: %q %v", got, err)
		}
		if err := upload(t, ctx, ro, "shared", "docs/new", []byte("x"), nil); !errors.Is(err, uplink.ErrPermissionDenied) {
			t.Fatalf("write with read-only share: %v", err)
		}
		if _, err := ro.DeleteObject(ctx, "shared", "docs/a"); !errors.Is(err, uplink.ErrPermissionDenied) {
			t.Fatalf("delete with read-only share: %v", err)
		}
		if keys := listKeys(t, ctx, ro, "shared", &uplink.ListObjectsOptions{Prefix: "docs/"}); len(keys) != 1 || keys[0] != "docs/a" {
			t.Fatalf("list allowed prefix: %v", keys)
		}
		rootList := ro.ListObjects(ctx, "shared", nil)
		for rootList.Next() {
		}
		if !errors.Is(rootList.Err(), uplink.ErrPermissionDenied) {
			t.Fatalf("list outside the shared prefix: %v", rootList.Err())
		}
		if _, err := download(t, ctx, ro, "other", "docs/a", nil); !errors.Is(err, uplink.ErrPermissionDenied) {
			t.Fatalf("other bucket with prefix share: %v", err)
		}

		expired, err := root.Share(uplink.Permission{AllowDownload: true, NotAfter: time.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := download(t, ctx, n.project(expired), "shared", "docs/a", nil); !errors.Is(err, uplink.ErrPermissionDenied) {
			t.Fatalf("expired share: %v", err)
		}

		full, err := root.Share(uplink.FullPermission())
		if err != nil {
			t.Fatal(err)
		}
		fp := n.project(full)
		mustUpload(t, ctx, fp, "shared", "docs/full", []byte("f"))
		if err := project.RevokeAccess(ctx, full); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		if err := upload(t, ctx, fp, "shared", "docs/after", []byte("x"), nil); !errors.Is(err, uplink.ErrPermissionDenied) {
			t.Fatalf("upload with revoked access: %v", err)
		}
		derived, err := full.Share(uplink.ReadOnlyPermission())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := download(t, ctx, n.project(derived), "shared", "docs/a", nil); !errors.Is(err, uplink.ErrPermissionDenied) {
			t.Fatalf("key derived from a revoked key: %v", err)
		}
		if got, err := download(t, ctx, project, "shared", "docs/full", nil); err != nil || !bytes.Equal(got, []byte("f")) {
			t.Fatalf("root key after revocation: %v", err)
		}

		if _, err := uplink.OpenProject(ctx, root); err != nil {
			t.Fatal(err)
		}
		_, err = uplink.Config{}.RequestAccessWithPassphrase(ctx, n.nodeURL(), "garbage-key", "pass")
		if err == nil {
			t.Fatal("garbage API key accepted")
		}
	})
}

func TestServeAgainOnSameInstance(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 0)
	n.project(n.access(""), "again")
	addr := n.satAddr
	n.stopSat()
	if err := <-n.satDone; err != nil {
		t.Fatal(err)
	}
	lis := listen(t, addr)
	serveCtx, cancel := context.WithCancel(ctx)
	n.stopSat = cancel
	go func() { n.satDone <- n.sat.Serve(serveCtx, lis) }()
	if _, err := n.project(n.access("")).StatBucket(ctx, "again"); err != nil {
		t.Fatalf("bucket after serving again: %v", err)
	}
}
