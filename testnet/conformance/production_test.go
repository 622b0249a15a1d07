package conformance

import (
	"context"
	"strings"
	"testing"
	"time"

	"storj.io/common/errs2"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"
	"storj.io/uplink/private/bucket"
	"storj.io/uplink/private/metaclient"
	"storj.io/uplink/private/object"

	"testnet/network/networktest"
)

// The options of the real client's private API that reach request fields the Python API cannot set
// (docs/network-differences.md): each is either served as production serves it or refused by name.

func TestCopyOptionsAreServed(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "plain")
	setVersioning(t, project, "plain", true)
	if _, err := bucket.CreateBucketWithObjectLock(ctx, project, bucket.CreateBucketWithObjectLockParams{Name: "locked", ObjectLockEnabled: true}); err != nil {
		t.Fatal(err)
	}
	first := networktest.RandomData(t, 3000)
	firstVersion := mustUploadVersion(t, project, "plain", "key", first, nil)
	mustUploadVersion(t, project, "plain", "key", []byte("second"), nil)

	// The version named is the one copied, not the latest.
	if _, err := object.CopyObject(ctx, project, "plain", "key", firstVersion, "plain", "copy-of-first", object.CopyObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	requireSameSHA256(t, "copy of the first version", first, download(t, project, "plain", "copy-of-first", nil))

	// If-None-Match refuses a copy onto an existing key.
	_, err := object.CopyObject(ctx, project, "plain", "key", nil, "plain", "copy-of-first", object.CopyObjectOptions{IfNoneMatch: []string{"*"}})
	requireErrorIs(t, "conditional copy onto an existing key", err, object.ErrFailedPrecondition)
	requireSameSHA256(t, "the refused copy's target", first, download(t, project, "plain", "copy-of-first", nil))

	// A copy into an Object Lock bucket takes its retention and legal hold.
	until := time.Now().Add(time.Hour).Truncate(time.Second)
	copied, err := object.CopyObject(ctx, project, "plain", "key", nil, "locked", "kept", object.CopyObjectOptions{
		Retention: metaclient.Retention{Mode: storj.GovernanceMode, RetainUntil: until}, LegalHold: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	retention, err := object.GetObjectRetention(ctx, project, "locked", "kept", copied.Version)
	if err != nil || retention.Mode != storj.GovernanceMode || !retention.RetainUntil.Equal(until) {
		t.Fatalf("retention of the copy: %+v, %v", retention, err)
	}
	if held, err := object.GetObjectLegalHold(ctx, project, "locked", "kept", copied.Version); err != nil || !held {
		t.Fatalf("legal hold of the copy: %v, %v", held, err)
	}
	_, err = object.CopyObject(ctx, project, "plain", "key", nil, "plain", "locked-copy", object.CopyObjectOptions{LegalHold: true})
	requireErrorIs(t, "a legal hold into a bucket without Object Lock", err, object.ErrNoObjectLockConfiguration)
}

func TestClientOptionsTheNetworkRefuses(t *testing.T) {
	ctx := context.Background()
	net := networktest.Start(t, 3)
	project := net.OpenProject(net.Access(), "bucket")
	_, err := bucket.CreateBucketWithObjectLock(ctx, project, bucket.CreateBucketWithObjectLockParams{Name: "placed", Placement: "EU"})
	requireRefusal(t, "bucket placement", err, rpcstatus.Unimplemented, "bucket placement is not implemented by the local network")

	upload(t, project, "bucket", "object", []byte("data"))
	_, err = object.DownloadObject(ctx, project, "bucket", "object", nil, &object.DownloadObjectOptions{Length: -1, ServerSideCopy: true})
	requireRefusal(t, "server-side copy download", err, rpcstatus.InvalidArgument, "only allowed for trusted uplink clients")
}

func requireRefusal(t *testing.T, what string, err error, code rpcstatus.StatusCode, text string) {
	t.Helper()
	if !errs2.IsRPC(err, code) || !strings.Contains(err.Error(), text) {
		t.Fatalf("%s: got %v, want %v saying %q", what, err, code, text)
	}
}
