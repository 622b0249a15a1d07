package metainfo

import (
	"context"
	"testing"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"

	"testnet/satellite/apikeys"
	"testnet/satellite/store"
)

// Object Lock actions need a key of the Object Lock version (as production checks the stored
// key version) and no caveat forbidding them.
func TestObjectLockNeedsKeyVersionAndCaveats(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	if _, err := e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: header, Name: []byte("locked"), ObjectLockEnabled: true}); err != nil {
		t.Fatal(err)
	}
	root, err := e.keys.Parse(header)
	if err != nil {
		t.Fatal(err)
	}
	oldHeader := keyHeader(t, e.db, func(tx *store.Tx) (string, error) {
		return apikeys.CreateVersion(tx, root.Record.ProjectID, macaroon.APIKeyVersionMin)
	})
	restricted, err := root.Macaroon.Restrict(macaroon.Caveat{DisallowPutRetention: true, DisallowBypassGovernanceRetention: true})
	if err != nil {
		t.Fatal(err)
	}
	restrictedHeader := &pb.RequestHeader{ApiKey: restricted.SerializeRaw()}

	retention := &pb.Retention{Mode: pb.Retention_GOVERNANCE, RetainUntil: time.Now().Add(time.Hour)}
	setRetention := func(h *pb.RequestHeader) error {
		_, err := e.SetObjectRetention(ctx, &pb.SetObjectRetentionRequest{Header: h, Bucket: []byte("locked"), EncryptedObjectKey: []byte("k"), Retention: retention})
		return err
	}
	requireCode(t, setRetention(oldHeader), rpcstatus.PermissionDenied)
	requireCode(t, setRetention(restrictedHeader), rpcstatus.PermissionDenied)
	requireCode(t, setRetention(header), rpcstatus.NotFound) // allowed: there is no object

	_, err = e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: oldHeader, Name: []byte("locked2"), ObjectLockEnabled: true})
	requireCode(t, err, rpcstatus.PermissionDenied)
	if _, err := e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: oldHeader, Name: []byte("plain")}); err != nil {
		t.Fatalf("an old key still creates plain buckets: %v", err)
	}
	_, err = e.BeginObject(ctx, &pb.BeginObjectRequest{Header: oldHeader, Bucket: []byte("locked"), EncryptedObjectKey: []byte("k"), Retention: retention})
	requireCode(t, err, rpcstatus.PermissionDenied)
	_, err = e.BeginDeleteObject(ctx, &pb.BeginDeleteObjectRequest{Header: restrictedHeader, Bucket: []byte("locked"), EncryptedObjectKey: []byte("k"), BypassGovernanceRetention: true})
	requireCode(t, err, rpcstatus.PermissionDenied)
	_, err = e.GetBucketObjectLockConfiguration(ctx, &pb.GetBucketObjectLockConfigurationRequest{Header: oldHeader, Name: []byte("locked")})
	requireCode(t, err, rpcstatus.PermissionDenied)
	_, err = e.GetBucketObjectLockConfiguration(ctx, &pb.GetBucketObjectLockConfigurationRequest{Header: header, Name: []byte("plain")})
	requireCode(t, err, rpcstatus.ObjectLockBucketRetentionConfigurationMissing)
}
