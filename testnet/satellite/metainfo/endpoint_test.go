package metainfo

import (
	"bytes"
	"context"
	"testing"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"
	"storj.io/common/uuid"

	"testnet/internal/peer"
	"testnet/satellite/apikeys"
	"testnet/satellite/store"
)

// newTestEndpoint returns an endpoint with one project, with the buckets given, and the header of
// its root key.
func newTestEndpoint(t *testing.T, buckets ...string) (*Endpoint, *pb.RequestHeader) {
	t.Helper()
	ctx := context.Background()
	ident, err := peer.LoadOrCreateIdentity(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	header := keyHeader(t, db, func(tx *store.Tx) (string, error) {
		id, err := uuid.New()
		if err != nil {
			return "", err
		}
		if err := tx.PutProject(&store.Project{ID: id, Salt: make([]byte, 32), CreatedAt: time.Now()}); err != nil {
			return "", err
		}
		return apikeys.Create(tx, id)
	})
	e := New(db, Config{
		Identity:   ident,
		Redundancy: storj.RedundancyScheme{Algorithm: storj.ReedSolomon, ShareSize: 256, RequiredShares: 2, RepairShares: 3, OptimalShares: 4, TotalShares: 5},
		IDSecret:   []byte("secret"),
	})
	for _, bucket := range buckets {
		createBucket(t, e, header, bucket)
	}
	return e, header
}

// keyHeader stores the API key create makes and returns a request header carrying it.
func keyHeader(t *testing.T, db *store.DB, create func(tx *store.Tx) (string, error)) *pb.RequestHeader {
	t.Helper()
	var serialized string
	err := db.Update(func(tx *store.Tx) (err error) {
		serialized, err = create(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	key, err := macaroon.ParseAPIKey(serialized)
	if err != nil {
		t.Fatal(err)
	}
	return &pb.RequestHeader{ApiKey: key.SerializeRaw()}
}

func requireCode(t *testing.T, err error, code rpcstatus.StatusCode) {
	t.Helper()
	if rpcstatus.Code(err) != code {
		t.Fatalf("want status %v, got %v (%v)", code, rpcstatus.Code(err), err)
	}
}

func TestCredentials(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	if _, err := e.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: header}); err != nil {
		t.Fatal(err)
	}
	_, err := e.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: &pb.RequestHeader{ApiKey: []byte("garbage")}})
	requireCode(t, err, rpcstatus.InvalidArgument)

	secret, _ := macaroon.NewSecret()
	unknown, _ := macaroon.NewAPIKey(secret)
	_, err = e.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: &pb.RequestHeader{ApiKey: unknown.SerializeRaw()}})
	requireCode(t, err, rpcstatus.PermissionDenied)

	_, err = e.GetBucketTagging(ctx, &pb.GetBucketTaggingRequest{Header: header})
	requireCode(t, err, rpcstatus.Unimplemented)
}

func TestRevocationNeedsAnAncestor(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	root, _ := macaroon.ParseRawAPIKey(header.ApiKey)
	child, _ := root.Restrict(macaroon.Caveat{DisallowDeletes: true})
	grandchild, _ := child.Restrict(macaroon.Caveat{DisallowWrites: true})
	childHeader := &pb.RequestHeader{ApiKey: child.SerializeRaw()}

	_, err := e.RevokeAPIKey(ctx, &pb.RevokeAPIKeyRequest{Header: childHeader, ApiKey: child.SerializeRaw()})
	requireCode(t, err, rpcstatus.PermissionDenied) // a key cannot revoke itself

	if _, err := e.RevokeAPIKey(ctx, &pb.RevokeAPIKeyRequest{Header: header, ApiKey: child.SerializeRaw()}); err != nil {
		t.Fatal(err)
	}
	_, err = e.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: &pb.RequestHeader{ApiKey: grandchild.SerializeRaw()}})
	requireCode(t, err, rpcstatus.PermissionDenied)
	if _, err := e.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: header}); err != nil {
		t.Fatalf("root key after revoking a child: %v", err)
	}
}

func TestObjectLimitsAndStreamIDs(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	if _, err := e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: header, Name: []byte("bucket")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: make([]byte, 20000)})
	requireCode(t, err, rpcstatus.InvalidArgument)
	_, err = e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("k"), ExpiresAt: time.Now().Add(-time.Minute)})
	requireCode(t, err, rpcstatus.InvalidArgument)
	_, err = e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("missing"), EncryptedObjectKey: []byte("k")})
	requireCode(t, err, rpcstatus.NotFound)

	// One batch: begin, inline segment and commit without stream IDs (injected).
	batch, err := e.Batch(ctx, &pb.BatchRequest{Header: header, Requests: []*pb.BatchRequestItem{
		{Request: &pb.BatchRequestItem_ObjectBegin{ObjectBegin: &pb.BeginObjectRequest{Bucket: []byte("bucket"), EncryptedObjectKey: []byte("pending"),
			EncryptionParameters: &pb.EncryptionParameters{CipherSuite: pb.CipherSuite_ENC_AESGCM, BlockSize: 7424}}}},
		{Request: &pb.BatchRequestItem_SegmentMakeInline{SegmentMakeInline: &pb.MakeInlineSegmentRequest{Position: &pb.SegmentPosition{}, EncryptedInlineData: make([]byte, maxInlineSegmentSize+1)}}},
	}})
	requireCode(t, err, rpcstatus.InvalidArgument)
	if batch != nil {
		t.Fatal("failed batch returned responses")
	}

	begin, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("pending")})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.ListObjects(ctx, &pb.ListObjectsRequest{Header: header, Bucket: []byte("bucket"), Status: pb.Object_UPLOADING, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	// Two pending uploads: the aborted batch's (earlier items are not rolled back, as upstream)
	// and this one, whose listed stream ID must equal the one BeginObject returned.
	found := false
	for _, item := range list.Items {
		found = found || (item.StreamId != nil && bytes.Equal(*item.StreamId, begin.StreamId))
	}
	if len(list.Items) != 2 || !found {
		t.Fatalf("pending listing does not return the BeginObject stream ID: %+v", list.Items)
	}
	_, err = e.CommitObject(ctx, &pb.CommitObjectRequest{Header: header, StreamId: begin.StreamId, EncryptedMetadata: make([]byte, 3000)})
	requireCode(t, err, rpcstatus.InvalidArgument)

	sid := pb.StreamID(begin.StreamId)
	_, err = e.BeginDeleteObject(ctx, &pb.BeginDeleteObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("pending"), Status: int32(pb.Object_UPLOADING), StreamId: &sid})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.BeginDeleteObject(ctx, &pb.BeginDeleteObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("pending"), Status: int32(pb.Object_UPLOADING), StreamId: &sid})
	requireCode(t, err, rpcstatus.NotFound)

	_, err = e.BeginSegment(ctx, &pb.BeginSegmentRequest{Header: header, StreamId: begin.StreamId})
	requireCode(t, err, rpcstatus.NotFound)
}
