package metainfo

import (
	"context"
	"strings"
	"testing"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"

	"testnet/satellite/store"
)

// Tests of the production rules the endpoint enforces (docs/network-differences.md).

// limitedEndpoint is newTestEndpoint with the project's limits set before its first request
// (the endpoint reads a project's rate limits once) and a clock the test moves.
func limitedEndpoint(t *testing.T, limits store.Limits) (*Endpoint, *pb.RequestHeader, *time.Time) {
	t.Helper()
	e, header := newTestEndpoint(t)
	key, err := e.keys.Parse(header)
	if err != nil {
		t.Fatal(err)
	}
	err = e.db.Update(func(tx *store.Tx) error {
		p, err := tx.Project(key.Record.ProjectID)
		if err != nil {
			return err
		}
		p.Limits = limits
		return tx.PutProject(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	e.now = func() time.Time { return clock }
	return e, header, &clock
}

func requireText(t *testing.T, err error, code rpcstatus.StatusCode, text string) {
	t.Helper()
	requireCode(t, err, code)
	if !strings.Contains(err.Error(), text) {
		t.Fatalf("error %q does not say %q", err, text)
	}
}

func createBucket(t *testing.T, e *Endpoint, header *pb.RequestHeader, name string) {
	t.Helper()
	if _, err := e.CreateBucket(context.Background(), &pb.CreateBucketRequest{Header: header, Name: []byte(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

// putInline commits an inline object at key with the given plain data.
func putInline(t *testing.T, e *Endpoint, header *pb.RequestHeader, bucket, key string, data []byte) {
	t.Helper()
	ctx := context.Background()
	begin, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte(bucket), EncryptedObjectKey: []byte(key),
		EncryptionParameters: &pb.EncryptionParameters{CipherSuite: pb.CipherSuite_ENC_NULL, BlockSize: 256}})
	if err != nil {
		t.Fatalf("begin %s: %v", key, err)
	}
	_, err = e.MakeInlineSegment(ctx, &pb.MakeInlineSegmentRequest{Header: header, StreamId: begin.StreamId,
		Position: &pb.SegmentPosition{}, EncryptedInlineData: data, PlainSize: int64(len(data))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CommitObject(ctx, &pb.CommitObjectRequest{Header: header, StreamId: begin.StreamId}); err != nil {
		t.Fatalf("commit %s: %v", key, err)
	}
}

func TestMultipartRules(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t, "bucket")
	begin, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("mpu")})
	if err != nil {
		t.Fatal(err)
	}
	// Parts of a given plain size; the satellite only accounts the sizes the client reports.
	part := func(number int32, plainSize int64) {
		t.Helper()
		_, err := e.MakeInlineSegment(ctx, &pb.MakeInlineSegmentRequest{Header: header, StreamId: begin.StreamId,
			Position: &pb.SegmentPosition{PartNumber: number}, EncryptedInlineData: []byte("x"), PlainSize: plainSize})
		if err != nil {
			t.Fatal(err)
		}
	}
	commit := func() error {
		_, err := e.CommitObject(ctx, &pb.CommitObjectRequest{Header: header, StreamId: begin.StreamId})
		return err
	}
	part(1, minPartSize.Int64()-1)
	part(3, 10) // parts may be sparse; the last (highest number) has no minimum
	requireText(t, commit(), rpcstatus.FailedPrecondition,
		"metabase: failed precondition: size of part number 1 is below minimum threshold, got: "+(minPartSize-1).String()+", min: 5.0 MiB")
	part(1, minPartSize.Int64())
	if err := commit(); err != nil {
		t.Fatalf("parts of 5 MiB and a short last part: %v", err)
	}

	segments := func(parts int) []*store.Segment {
		var s []*store.Segment
		for i := 1; i <= parts; i++ {
			s = append(s, &store.Segment{Part: int32(i), PlainSize: minPartSize.Int64()})
		}
		return s
	}
	if err := validateParts(segments(maxNumberOfParts)); err != nil {
		t.Fatalf("10,000 parts: %v", err)
	}
	requireText(t, validateParts(segments(maxNumberOfParts+1)), rpcstatus.FailedPrecondition,
		"metabase: failed precondition: exceeded maximum number of parts: 10000")
	// A part of several segments counts once, with the sum of their sizes.
	split := []*store.Segment{{Part: 1, Index: 0, PlainSize: 3 << 20}, {Part: 1, Index: 1, PlainSize: 2 << 20}, {Part: 2, PlainSize: 1}}
	if err := validateParts(split); err != nil {
		t.Fatalf("a 5 MiB part of two segments: %v", err)
	}
}

func TestBucketLimit(t *testing.T) {
	ctx := context.Background()
	e, header, _ := limitedEndpoint(t, store.Limits{Buckets: 2})
	createBucket(t, e, header, "one")
	createBucket(t, e, header, "two")
	_, err := e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: header, Name: []byte("three")})
	requireText(t, err, rpcstatus.ResourceExhausted, "number of allocated buckets (100) exceeded")
	_, err = e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: header, Name: []byte("two")})
	requireCode(t, err, rpcstatus.AlreadyExists) // an existing name says so, limit or not
	if _, err := e.DeleteBucket(ctx, &pb.DeleteBucketRequest{Header: header, Name: []byte("one")}); err != nil {
		t.Fatal(err)
	}
	createBucket(t, e, header, "three")

	// A project without a bucket limit (the network's default project) has as many as it wants.
	unlimited, rootHeader := newTestEndpoint(t)
	for i := range DefaultMaxBuckets + 1 {
		createBucket(t, unlimited, rootHeader, "bucket-"+string(rune('a'+i/26))+string(rune('a'+i%26)))
	}
}

func TestRequestRateLimit(t *testing.T) {
	ctx := context.Background()
	e, header, clock := limitedEndpoint(t, store.Limits{RequestRate: 5, RequestBurst: 5})
	info := func() error {
		_, err := e.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: header})
		return err
	}
	for i := range 5 {
		if err := info(); err != nil {
			t.Fatalf("request %d of a burst of 5: %v", i+1, err)
		}
	}
	requireText(t, info(), rpcstatus.ResourceExhausted, "Too Many Requests")
	*clock = clock.Add(200 * time.Millisecond) // one request's worth at 5 a second
	if err := info(); err != nil {
		t.Fatalf("after the bucket refilled by one: %v", err)
	}
	requireText(t, info(), rpcstatus.ResourceExhausted, "Too Many Requests")

	// Every item of a batch is a request of its own.
	*clock = clock.Add(time.Second)
	createBucket(t, e, header, "bucket")
	item := func() *pb.BatchRequestItem {
		return &pb.BatchRequestItem{Request: &pb.BatchRequestItem_BucketGet{BucketGet: &pb.GetBucketRequest{Name: []byte("bucket")}}}
	}
	_, err := e.Batch(ctx, &pb.BatchRequest{Header: header, Requests: []*pb.BatchRequestItem{item(), item(), item(), item(), item()}})
	requireText(t, err, rpcstatus.ResourceExhausted, "Too Many Requests")

	// A commit is counted but never refused.
	*clock = clock.Add(time.Second)
	begin, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	for info() == nil {
	}
	if _, err := e.CommitObject(ctx, &pb.CommitObjectRequest{Header: header, StreamId: begin.StreamId}); err != nil {
		t.Fatalf("commit with the rate exhausted: %v", err)
	}

	// An unlimited project is never refused.
	free, freeHeader, _ := limitedEndpoint(t, store.Limits{})
	for i := range 1000 {
		if _, err := free.ProjectInfo(ctx, &pb.ProjectInfoRequest{Header: freeHeader}); err != nil {
			t.Fatalf("request %d of an unlimited project: %v", i, err)
		}
	}
}

func TestUploadRateLimit(t *testing.T) {
	ctx := context.Background()
	e, header, clock := limitedEndpoint(t, store.Limits{RequestRate: 1000, RequestBurst: 1000})
	createBucket(t, e, header, "bucket")
	beginIn := func(e *Endpoint, header *pb.RequestHeader, key string) error {
		_, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte(key)})
		return err
	}
	begin := func(key string) error { return beginIn(e, header, key) }
	for i := range uploadBurst {
		if err := begin("same"); err != nil {
			t.Fatalf("upload %d of a burst of 3: %v", i+1, err)
		}
	}
	requireText(t, begin("same"), rpcstatus.ResourceExhausted, "Too Many Requests")
	if err := begin("other"); err != nil {
		t.Fatalf("another key has its own limit: %v", err)
	}
	*clock = clock.Add(time.Second)
	if err := begin("same"); err != nil {
		t.Fatalf("a second later: %v", err)
	}
	requireText(t, begin("same"), rpcstatus.ResourceExhausted, "Too Many Requests")

	// A project that is not rate limited uploads to one key as often as it wants.
	free, freeHeader, _ := limitedEndpoint(t, store.Limits{})
	createBucket(t, free, freeHeader, "bucket")
	for i := range 10 {
		if err := beginIn(free, freeHeader, "same"); err != nil {
			t.Fatalf("upload %d: %v", i, err)
		}
	}
}

func TestRangeStartingPastTheEnd(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t, "bucket")
	putInline(t, e, header, "bucket", "ten", []byte("0123456789"))
	download := func(r *pb.Range) error {
		_, err := e.DownloadObject(ctx, &pb.DownloadObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("ten"), Range: r})
		return err
	}
	requireText(t, download(&pb.Range{Range: &pb.Range_Start{Start: &pb.RangeStart{PlainStart: 11}}}),
		rpcstatus.InvalidArgument, "metabase: invalid request: invalid range: 11:10")
	requireText(t, download(&pb.Range{Range: &pb.Range_StartLimit{StartLimit: &pb.RangeStartLimit{PlainStart: 7, PlainLimit: 5}}}),
		rpcstatus.InvalidArgument, "invalid range: 7:5")
	for _, r := range []*pb.Range{
		nil,
		{Range: &pb.Range_Start{Start: &pb.RangeStart{PlainStart: 10}}}, // empty, at the end
		{Range: &pb.Range_StartLimit{StartLimit: &pb.RangeStartLimit{PlainStart: 3, PlainLimit: 30}}},
		{Range: &pb.Range_Suffix{Suffix: &pb.RangeSuffix{PlainSuffix: 20}}},
	} {
		if err := download(r); err != nil {
			t.Fatalf("range %v: %v", r, err)
		}
	}
}

func TestMoveOntoExistingKeyNeedsDelete(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t, "bucket")
	putInline(t, e, header, "bucket", "source", []byte("moved"))
	putInline(t, e, header, "bucket", "taken", []byte("kept"))
	root, err := macaroon.ParseRawAPIKey(header.ApiKey)
	if err != nil {
		t.Fatal(err)
	}
	noDelete, err := root.Restrict(macaroon.Caveat{DisallowDeletes: true})
	if err != nil {
		t.Fatal(err)
	}
	noDeleteHeader := &pb.RequestHeader{ApiKey: noDelete.SerializeRaw()}
	// Each request is authorized on its own: the source side (Read, Delete) with the root key, the
	// destination side with a key that may write but not delete there.
	begin, err := e.BeginMoveObject(ctx, &pb.BeginMoveObjectRequest{Header: header, Bucket: []byte("bucket"),
		EncryptedObjectKey: []byte("source"), NewBucket: []byte("bucket"), NewEncryptedObjectKey: []byte("taken")})
	if err != nil {
		t.Fatal(err)
	}
	finish := func(h *pb.RequestHeader, dest string) error {
		_, err := e.FinishMoveObject(ctx, &pb.FinishMoveObjectRequest{Header: h, StreamId: begin.StreamId,
			NewBucket: []byte("bucket"), NewEncryptedObjectKey: []byte(dest), NewSegmentKeys: begin.SegmentKeys})
		return err
	}
	requireText(t, finish(noDeleteHeader, "taken"), rpcstatus.PermissionDenied, "no permissions to delete existing object")
	if _, err := e.GetObject(ctx, &pb.GetObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("source")}); err != nil {
		t.Fatalf("a refused move leaves the source: %v", err)
	}
	if err := finish(noDeleteHeader, "free"); err != nil {
		t.Fatalf("a move to a free key needs no Delete there: %v", err)
	}

	// The same holds for an upload replacing an object; a copy may replace one without Delete.
	beginUpload, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: noDeleteHeader, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("taken")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.CommitObject(ctx, &pb.CommitObjectRequest{Header: noDeleteHeader, StreamId: beginUpload.StreamId})
	requireText(t, err, rpcstatus.PermissionDenied, "no permissions to delete existing object")
	beginCopy, err := e.BeginCopyObject(ctx, &pb.BeginCopyObjectRequest{Header: noDeleteHeader, Bucket: []byte("bucket"),
		EncryptedObjectKey: []byte("free"), NewBucket: []byte("bucket"), NewEncryptedObjectKey: []byte("taken")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.FinishCopyObject(ctx, &pb.FinishCopyObjectRequest{Header: noDeleteHeader, StreamId: beginCopy.StreamId,
		NewBucket: []byte("bucket"), NewEncryptedObjectKey: []byte("taken"), NewSegmentKeys: beginCopy.SegmentKeys})
	if err != nil {
		t.Fatalf("a copy onto an existing key without Delete: %v", err)
	}
}

func TestDeleteWithoutReadOrList(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t, "bucket")
	putInline(t, e, header, "bucket", "object", []byte("data"))
	root, err := macaroon.ParseRawAPIKey(header.ApiKey)
	if err != nil {
		t.Fatal(err)
	}
	restrict := func(c macaroon.Caveat) *pb.RequestHeader {
		key, err := root.Restrict(c)
		if err != nil {
			t.Fatal(err)
		}
		return &pb.RequestHeader{ApiKey: key.SerializeRaw()}
	}
	deleteOnly := restrict(macaroon.Caveat{DisallowReads: true, DisallowLists: true, DisallowWrites: true})
	canRead := restrict(macaroon.Caveat{DisallowLists: true, DisallowWrites: true})

	// A failed object delete: a version that does not exist.
	missingVersion := make([]byte, versionIDSize)
	missingVersion[7] = 99
	deleteVersion := func(h *pb.RequestHeader) (*pb.BeginDeleteObjectResponse, error) {
		return e.BeginDeleteObject(ctx, &pb.BeginDeleteObjectRequest{Header: h, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("object"), ObjectVersion: missingVersion})
	}
	_, err = deleteVersion(canRead)
	requireCode(t, err, rpcstatus.NotFound)
	if resp, err := deleteVersion(deleteOnly); err != nil || resp.Object != nil {
		t.Fatalf("delete-only key: %v, %+v (want success, no object)", err, resp)
	}
	// A pending upload that does not exist, likewise.
	other, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("other")})
	if err != nil {
		t.Fatal(err)
	}
	stream := pb.StreamID(other.StreamId)
	abortWrongKey := func(h *pb.RequestHeader) error {
		_, err := e.BeginDeleteObject(ctx, &pb.BeginDeleteObjectRequest{Header: h, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("object"),
			Status: int32(pb.Object_UPLOADING), StreamId: &stream})
		return err
	}
	requireCode(t, abortWrongKey(canRead), rpcstatus.NotFound)
	if err := abortWrongKey(deleteOnly); err != nil {
		t.Fatalf("delete-only key aborting a missing upload: %v", err)
	}
	// A successful delete tells a delete-only key nothing about the object.
	resp, err := e.BeginDeleteObject(ctx, &pb.BeginDeleteObjectRequest{Header: deleteOnly, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("object")})
	if err != nil || resp.Object != nil {
		t.Fatalf("delete-only delete: %v, %+v", err, resp)
	}

	// A bucket that is not empty. Caveats always let a key read a bucket's own metadata (only an
	// object path can be read-protected), so the real satellite's rule to hide the answer from a
	// key without Read and List never applies to a bucket: every key learns it is not empty.
	putInline(t, e, header, "bucket", "object", []byte("data"))
	for _, h := range []*pb.RequestHeader{deleteOnly, canRead} {
		_, err = e.DeleteBucket(ctx, &pb.DeleteBucketRequest{Header: h, Name: []byte("bucket")})
		requireText(t, err, rpcstatus.FailedPrecondition, "bucket not empty")
		// Emptying a bucket needs List: without it the bucket is not empty.
		_, err = e.DeleteBucket(ctx, &pb.DeleteBucketRequest{Header: h, Name: []byte("bucket"), DeleteAll: true})
		requireText(t, err, rpcstatus.FailedPrecondition, "bucket not empty")
	}
	// A missing bucket is reported to any key that may delete it.
	_, err = e.DeleteBucket(ctx, &pb.DeleteBucketRequest{Header: deleteOnly, Name: []byte("missing")})
	requireText(t, err, rpcstatus.NotFound, "bucket not found")
	if resp, err := e.DeleteBucket(ctx, &pb.DeleteBucketRequest{Header: header, Name: []byte("bucket"), DeleteAll: true}); err != nil || resp.DeletedObjectsCount != 1 {
		t.Fatalf("root key emptying the bucket: %v, %+v", err, resp)
	}
}

func TestUnimplementedFieldsAreRefused(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	_, err := e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: header, Name: []byte("placed"), Placement: []byte("eu")})
	requireText(t, err, rpcstatus.Unimplemented, "bucket placement is not implemented by the local network")
	createBucket(t, e, header, "bucket")
	putInline(t, e, header, "bucket", "object", []byte("data"))

	download := func(req *pb.DownloadObjectRequest) error {
		req.Header, req.Bucket, req.EncryptedObjectKey = header, []byte("bucket"), []byte("object")
		_, err := e.DownloadObject(ctx, req)
		return err
	}
	requireText(t, download(&pb.DownloadObjectRequest{ServerSideCopy: true}), rpcstatus.InvalidArgument, "only allowed for trusted uplink clients")
	requireText(t, download(&pb.DownloadObjectRequest{LiteRequest: true}), rpcstatus.Unimplemented, "LiteRequest is not implemented")
	begin, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("new")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.BeginSegment(ctx, &pb.BeginSegmentRequest{Header: header, StreamId: begin.StreamId, LiteRequest: true})
	requireText(t, err, rpcstatus.Unimplemented, "LiteRequest is not implemented")

	obj, err := e.GetObject(ctx, &pb.GetObjectRequest{Header: header, Bucket: []byte("bucket"), EncryptedObjectKey: []byte("object")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.DownloadSegment(ctx, &pb.DownloadSegmentRequest{Header: header, StreamId: obj.Object.StreamId, ServerSideCopy: true})
	requireText(t, err, rpcstatus.InvalidArgument, "only allowed for trusted uplink clients")
	_, err = e.UpdateObjectMetadata(ctx, &pb.UpdateObjectMetadataRequest{Header: header, Bucket: []byte("bucket"),
		EncryptedObjectKey: []byte("object"), StreamId: obj.Object.StreamId, ObjectVersion: obj.Object.ObjectVersion})
	requireText(t, err, rpcstatus.Unimplemented, "UpdateObjectMetadata of a named version is not implemented")

	// Fields of the production answers: a negative limit, a direction nobody lists in.
	_, err = e.ListObjects(ctx, &pb.ListObjectsRequest{Header: header, Bucket: []byte("bucket"), Limit: -1})
	requireText(t, err, rpcstatus.InvalidArgument, "limit is negative")
	_, err = e.ListBuckets(ctx, &pb.ListBucketsRequest{Header: header, Direction: pb.ListDirection(-1)})
	requireCode(t, err, rpcstatus.InvalidArgument)
}

// Request fields a client may set that the network used to ignore, now served as production serves them.
func TestFieldsServedAsInProduction(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	for _, name := range []string{"aaa", "bbb", "ccc"} {
		createBucket(t, e, header, name)
	}
	list := func(direction pb.ListDirection) (names []string) {
		resp, err := e.ListBuckets(ctx, &pb.ListBucketsRequest{Header: header, Cursor: []byte("bbb"), Direction: direction})
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range resp.Items {
			names = append(names, string(item.Name))
		}
		return names
	}
	if got := list(pb.ListDirection_FORWARD); strings.Join(got, ",") != "bbb,ccc" {
		t.Fatalf("FORWARD from bbb: %v", got)
	}
	if got := list(pb.ListDirection_AFTER); strings.Join(got, ",") != "ccc" {
		t.Fatalf("AFTER bbb: %v", got)
	}

	// A download's segment list honours its limit; ListSegments keeps the segments a range overlaps.
	begin, err := e.BeginObject(ctx, &pb.BeginObjectRequest{Header: header, Bucket: []byte("aaa"), EncryptedObjectKey: []byte("parts")})
	if err != nil {
		t.Fatal(err)
	}
	for part := int32(1); part <= 3; part++ {
		_, err := e.MakeInlineSegment(ctx, &pb.MakeInlineSegmentRequest{Header: header, StreamId: begin.StreamId,
			Position: &pb.SegmentPosition{PartNumber: part}, EncryptedInlineData: []byte("x"), PlainSize: minPartSize.Int64()})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.CommitObject(ctx, &pb.CommitObjectRequest{Header: header, StreamId: begin.StreamId}); err != nil {
		t.Fatal(err)
	}
	down, err := e.DownloadObject(ctx, &pb.DownloadObjectRequest{Header: header, Bucket: []byte("aaa"), EncryptedObjectKey: []byte("parts"), Limit: 2})
	if err != nil || len(down.SegmentList.Items) != 2 || !down.SegmentList.More {
		t.Fatalf("download with limit 2: %v %+v", err, down.GetSegmentList())
	}
	size := minPartSize.Int64()
	segments, err := e.ListSegments(ctx, &pb.ListSegmentsRequest{Header: header, StreamId: down.Object.StreamId,
		Range: &pb.Range{Range: &pb.Range_StartLimit{StartLimit: &pb.RangeStartLimit{PlainStart: size + 1, PlainLimit: 2*size + 1}}}})
	if err != nil || len(segments.Items) != 2 || segments.Items[0].Position.PartNumber != 2 || segments.Items[1].Position.PartNumber != 3 {
		t.Fatalf("segments of a range over parts 2 and 3: %v %+v", err, segments.GetItems())
	}
	_, err = e.ListSegments(ctx, &pb.ListSegmentsRequest{Header: header, StreamId: down.Object.StreamId,
		Range: &pb.Range{Range: &pb.Range_StartLimit{StartLimit: &pb.RangeStartLimit{PlainStart: 9, PlainLimit: 3}}}})
	requireText(t, err, rpcstatus.InvalidArgument, "invalid range: 9:3")
}

// Versioning, Object Lock and batch deletes answer inside a batch as they do as direct calls.
func TestBatchServesVersioningAndObjectLockItems(t *testing.T) {
	ctx := context.Background()
	e, header := newTestEndpoint(t)
	if _, err := e.CreateBucket(ctx, &pb.CreateBucketRequest{Header: header, Name: []byte("locked"), ObjectLockEnabled: true}); err != nil {
		t.Fatal(err)
	}
	putInline(t, e, header, "locked", "object", []byte("data"))
	resp, err := e.Batch(ctx, &pb.BatchRequest{Header: header, Requests: []*pb.BatchRequestItem{
		{Request: &pb.BatchRequestItem_BucketGetVersioning{BucketGetVersioning: &pb.GetBucketVersioningRequest{Name: []byte("locked")}}},
		{Request: &pb.BatchRequestItem_BucketGetObjectLockConfiguration{BucketGetObjectLockConfiguration: &pb.GetBucketObjectLockConfigurationRequest{Name: []byte("locked")}}},
		{Request: &pb.BatchRequestItem_ObjectSetLegalHold{ObjectSetLegalHold: &pb.SetObjectLegalHoldRequest{Bucket: []byte("locked"), EncryptedObjectKey: []byte("object"), Enabled: true}}},
		{Request: &pb.BatchRequestItem_ObjectGetLegalHold{ObjectGetLegalHold: &pb.GetObjectLegalHoldRequest{Bucket: []byte("locked"), EncryptedObjectKey: []byte("object")}}},
		{Request: &pb.BatchRequestItem_ObjectsDelete{ObjectsDelete: &pb.DeleteObjectsRequest{Bucket: []byte("locked"), Items: []*pb.DeleteObjectsRequestItem{{EncryptedObjectKey: []byte("missing")}}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if v := resp.Responses[0].GetBucketGetVersioning().GetVersioning(); v != versioningEnabled {
		t.Fatalf("versioning %d", v)
	}
	if !resp.Responses[1].GetBucketGetObjectLockConfiguration().GetConfiguration().GetEnabled() {
		t.Fatal("lock configuration not enabled")
	}
	if !resp.Responses[3].GetObjectGetLegalHold().GetEnabled() {
		t.Fatal("legal hold set in the batch is not seen by the next item")
	}
	// A versioned bucket answers a delete of a missing key with a delete marker.
	if items := resp.Responses[4].GetObjectsDelete().GetItems(); len(items) != 1 || items[0].Status != pb.DeleteObjectsResponseItem_OK || items[0].Marker == nil {
		t.Fatalf("batched delete: %+v", items)
	}
}
