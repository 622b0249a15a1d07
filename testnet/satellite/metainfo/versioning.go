package metainfo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// Bucket versioning states, numbered as the protocol numbers them.
const (
	versioningUnversioned int32 = 1
	versioningEnabled     int32 = 2
	versioningSuspended   int32 = 3
)

// versionIDSize is the size of the version clients see: the version number big-endian, then
// the last 8 bytes of the stream ID (as the real satellite encodes it).
const versionIDSize = 16

// bucketVersioning is a bucket's state; records from before versioning are unversioned.
func bucketVersioning(b *store.Bucket) int32 {
	if b.Versioning == 0 {
		return versioningUnversioned
	}
	return b.Versioning
}

func versionID(o *store.Object) []byte {
	id := binary.BigEndian.AppendUint64(make([]byte, 0, versionIDSize), uint64(o.Version))
	return append(id, o.StreamID[8:]...)
}

// parseVersion returns the version number of a client's version ID (empty: none given).
func parseVersion(id []byte) (version int64, given bool, err error) {
	if len(id) == 0 {
		return 0, false, nil
	}
	if len(id) != versionIDSize {
		return 0, false, errInvalid("invalid stream version id")
	}
	return int64(binary.BigEndian.Uint64(id[:8])), true, nil
}

func objectStatus(o *store.Object) pb.Object_Status {
	switch {
	case o.Pending:
		return pb.Object_UPLOADING
	case o.DeleteMarker && o.Versioned:
		return pb.Object_DELETE_MARKER_VERSIONED
	case o.DeleteMarker:
		return pb.Object_DELETE_MARKER_UNVERSIONED
	case o.Versioned:
		return pb.Object_COMMITTED_VERSIONED
	}
	return pb.Object_COMMITTED_UNVERSIONED
}

func errMethodNotAllowed() error {
	return rpcstatus.Error(rpcstatus.MethodNotAllowed, "method not allowed")
}

// GetBucketVersioning returns a bucket's versioning state.
func (e *Endpoint) GetBucketVersioning(ctx context.Context, req *pb.GetBucketVersioningRequest) (*pb.GetBucketVersioningResponse, error) {
	bucket, err := e.readBucket(ctx, req.Header, req.Name)
	if err != nil {
		return nil, err
	}
	return &pb.GetBucketVersioningResponse{Versioning: bucketVersioning(bucket)}, nil
}

// SetBucketVersioning enables versioning, or suspends it on a bucket that has been versioned.
// A bucket with Object Lock stays versioned.
func (e *Endpoint) SetBucketVersioning(ctx context.Context, req *pb.SetBucketVersioningRequest) (*pb.SetBucketVersioningResponse, error) {
	key, err := e.authorize(ctx, req.Header, action(macaroon.ActionWrite, req.Name, nil))
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		bucket, err := e.bucketIn(tx, key.Record.ProjectID, req.Name)
		if err != nil {
			return err
		}
		switch state := bucketVersioning(bucket); {
		case req.Versioning:
			bucket.Versioning = versioningEnabled
		case bucket.ObjectLock:
			return rpcstatus.Error(rpcstatus.ObjectLockInvalidBucketState,
				"versioning cannot be suspended for a bucket with Object Lock enabled")
		case state == versioningUnversioned:
			return rpcstatus.Error(rpcstatus.FailedPrecondition,
				"versioning can only be suspended for a bucket that has versioning enabled")
		default:
			bucket.Versioning = versioningSuspended
		}
		return tx.PutBucket(key.Record.ProjectID, bucket)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.SetBucketVersioningResponse{}, nil
}

// bucketIn reads a bucket inside a transaction, with the client's not-found text.
func (e *Endpoint) bucketIn(tx *store.Tx, project [16]byte, name []byte) (*store.Bucket, error) {
	bucket, err := tx.Bucket(project, string(name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errBucketNotFound(string(name))
	}
	return bucket, err
}

// checkIfNoneMatch applies a commit's If-None-Match: only "*" exists, and it fails when the key
// has a visible latest object.
func checkIfNoneMatch(ifNoneMatch []string, versions []*store.Object, now time.Time) error {
	if len(ifNoneMatch) == 0 {
		return nil
	}
	if len(ifNoneMatch) != 1 || ifNoneMatch[0] != "*" {
		return rpcstatus.Error(rpcstatus.Unimplemented, "IfNoneMatch only supports *")
	}
	if len(versions) > 0 && !versions[0].DeleteMarker && !expired(versions[0], now) {
		return rpcstatus.Error(rpcstatus.FailedPrecondition, "object already exists")
	}
	return nil
}

// placeCommitted stores obj, just committed, as the newest version of its key as the bucket's
// versioning state says: enabled keeps every earlier version; unversioned and suspended replace
// the key's null (unversioned) version and keep versioned ones.
func placeCommitted(tx *store.Tx, obj *store.Object, canDelete bool, ifNoneMatch []string, now time.Time) error {
	bucket, err := tx.Bucket(obj.ProjectID, obj.Bucket)
	if errors.Is(err, store.ErrNotFound) {
		return errBucketNotFound(obj.Bucket)
	}
	if err != nil {
		return err
	}
	versions, err := tx.KeyVersions(obj.ProjectID, obj.Bucket, obj.Key)
	if err != nil {
		return err
	}
	if err := checkIfNoneMatch(ifNoneMatch, versions, now); err != nil {
		return err
	}
	state := bucketVersioning(bucket)
	var highest int64
	for _, v := range versions {
		highest = max(highest, v.Version)
		switch {
		case state != versioningEnabled && !v.Versioned:
			if !canDelete {
				return rpcstatus.Error(rpcstatus.PermissionDenied, "permission denied: no permissions to delete existing object")
			}
			if err := checkProtected(v, false, now); err != nil {
				return err
			}
			if err := deleteObject(tx, v); err != nil {
				return err
			}
		case !v.Archived && !v.DeleteMarker:
			if err := archive(tx, v); err != nil {
				return err
			}
		}
	}
	obj.Version = highest + 1
	obj.Versioned = state == versioningEnabled
	obj.Archived, obj.DeleteMarker = false, false
	return tx.PutObject(obj)
}

// archive moves the latest visible object of a key into the versions index.
func archive(tx *store.Tx, o *store.Object) error {
	if err := tx.DeleteObject(o); err != nil {
		return err
	}
	o.Archived = true
	return tx.PutObject(o)
}

// promoteLatest makes the newest remaining version of a key its latest visible object again
// (after a newer version or delete marker was removed), unless that version is a delete marker.
func promoteLatest(tx *store.Tx, o *store.Object) error {
	versions, err := tx.KeyVersions(o.ProjectID, o.Bucket, o.Key)
	if err != nil || len(versions) == 0 {
		return err
	}
	newest := versions[0]
	if newest.DeleteMarker || !newest.Archived {
		return nil
	}
	if err := tx.DeleteObject(newest); err != nil {
		return err
	}
	newest.Archived = false
	return tx.PutObject(newest)
}

// objectVersion returns the committed version with that number at a key (delete markers too).
func objectVersion(tx *store.Tx, project [16]byte, bucket string, key []byte, version int64) (*store.Object, error) {
	versions, err := tx.KeyVersions(project, bucket, key)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		if v.Version == version {
			return v, nil
		}
	}
	return nil, errObjectNotFound()
}

// readableVersion is what GetObject and DownloadObject serve: the latest visible object, or a
// named version; a delete marker cannot be read.
func (e *Endpoint) readableVersion(project [16]byte, bucket, key, versionIDBytes []byte) (*store.Object, error) {
	version, given, err := parseVersion(versionIDBytes)
	if err != nil {
		return nil, err
	}
	if !given {
		return e.committedObject(project, bucket, key)
	}
	var obj *store.Object
	err = e.db.View(func(tx *store.Tx) (err error) {
		obj, err = objectVersion(tx, project, string(bucket), key, version)
		return err
	})
	if err != nil {
		return nil, asRPC(err)
	}
	if obj.DeleteMarker {
		return nil, errMethodNotAllowed()
	}
	if expired(obj, e.now()) {
		return nil, errObjectNotFound()
	}
	return obj, nil
}

// deleteResult is what one delete did: the version it removed and the marker it wrote.
type deleteResult struct {
	removed *store.Object
	marker  *store.Object
}

// deleteCommitted deletes at a key as the real satellite does. With a version: that version
// goes (unless Object Lock protects it). Without: an unversioned bucket drops the object (a
// missing one is no error); an enabled bucket writes a delete marker over whatever is there; a
// suspended bucket replaces the null version with an unversioned delete marker (not found when
// the key has nothing at all).
func (e *Endpoint) deleteCommitted(tx *store.Tx, project [16]byte, bucketName string, key []byte, versionIDBytes []byte, bypass bool) (deleteResult, error) {
	now := e.now()
	bucket, err := tx.Bucket(project, bucketName)
	if errors.Is(err, store.ErrNotFound) {
		return deleteResult{}, nil
	}
	if err != nil {
		return deleteResult{}, err
	}
	version, given, err := parseVersion(versionIDBytes)
	if err != nil {
		return deleteResult{}, err
	}
	if given {
		obj, err := objectVersion(tx, project, bucketName, key, version)
		if err != nil {
			return deleteResult{}, err
		}
		if err := checkProtected(obj, bypass, now); err != nil {
			return deleteResult{}, err
		}
		if err := deleteObject(tx, obj); err != nil {
			return deleteResult{}, err
		}
		return deleteResult{removed: obj}, promoteLatest(tx, obj)
	}
	state := bucketVersioning(bucket)
	if state == versioningUnversioned {
		obj, err := tx.CommittedObject(project, bucketName, key)
		if errors.Is(err, store.ErrNotFound) || (err == nil && expired(obj, now)) {
			return deleteResult{}, nil
		}
		if err != nil {
			return deleteResult{}, err
		}
		if err := checkProtected(obj, bypass, now); err != nil {
			return deleteResult{}, err
		}
		return deleteResult{removed: obj}, deleteObject(tx, obj)
	}
	versions, err := tx.KeyVersions(project, bucketName, key)
	if err != nil {
		return deleteResult{}, err
	}
	var result deleteResult
	var highest int64
	for _, v := range versions {
		highest = max(highest, v.Version)
	}
	if state == versioningSuspended {
		if len(versions) == 0 {
			return deleteResult{}, errObjectNotFound()
		}
		for _, v := range versions {
			if v.Versioned {
				continue
			}
			if err := checkProtected(v, bypass, now); err != nil {
				return deleteResult{}, err
			}
			if err := deleteObject(tx, v); err != nil {
				return deleteResult{}, err
			}
			if !v.DeleteMarker {
				result.removed = v
			}
		}
	}
	for _, v := range versions {
		if !v.Archived && !v.DeleteMarker && (v.Versioned || state == versioningEnabled) {
			if err := archive(tx, v); err != nil {
				return deleteResult{}, err
			}
		}
	}
	marker, err := newDeleteMarker(project, bucketName, key, highest+1, state == versioningEnabled, now)
	if err != nil {
		return deleteResult{}, err
	}
	result.marker = marker
	return result, tx.PutObject(marker)
}

func newDeleteMarker(project [16]byte, bucket string, key []byte, version int64, versioned bool, now time.Time) (*store.Object, error) {
	stream, err := uuid.New()
	if err != nil {
		return nil, err
	}
	return &store.Object{
		ProjectID:    project,
		Bucket:       bucket,
		Key:          key,
		StreamID:     stream,
		CreatedAt:    now,
		Version:      version,
		Versioned:    versioned,
		DeleteMarker: true,
	}, nil
}

// listObjectVersions is ListObjects with IncludeAllVersions: every version and delete marker
// under the prefix, by key then newest first, after the (key, version) cursor.
func (e *Endpoint) listObjectVersions(req *pb.ListObjectsRequest, project [16]byte, prefix, delimiter []byte, limit int, includes *pb.ObjectListItemIncludes) (*pb.ListObjectsResponse, error) {
	base := append(store.ObjectPrefix(project, string(req.Bucket)), prefix...)
	cursorVersion, hasCursorVersion, err := parseVersion(req.VersionCursor)
	if err != nil {
		return nil, err
	}
	cursor := req.EncryptedCursor
	now := e.now()
	var versions []*store.Object
	err = e.db.View(func(tx *store.Tx) (err error) {
		versions, err = tx.BucketVersions(base)
		return err
	})
	if err != nil {
		return nil, errInternal(err)
	}
	resp := &pb.ListObjectsResponse{}
	var lastPrefix []byte
	latestOf := map[string]bool{}
	for _, o := range versions {
		rel := o.Key[len(prefix):]
		first := !latestOf[string(o.Key)]
		latestOf[string(o.Key)] = true
		if expired(o, now) {
			continue
		}
		if len(cursor) > 0 || hasCursorVersion {
			c := bytes.Compare(rel, cursor)
			if c < 0 || (c == 0 && (!hasCursorVersion || o.Version >= cursorVersion)) {
				continue
			}
		}
		var item *pb.ObjectListItem
		if i := bytes.Index(rel, delimiter); !req.Recursive && i >= 0 {
			collapsed := rel[:i+len(delimiter)]
			if bytes.Equal(collapsed, lastPrefix) || (len(cursor) > 0 && bytes.Compare(collapsed, cursor) <= 0) {
				continue
			}
			lastPrefix = collapsed
			item = &pb.ObjectListItem{EncryptedObjectKey: collapsed, Status: pb.Object_PREFIX}
		} else {
			item = e.listItem(o, rel, includes)
			item.IsLatest = first
		}
		if len(resp.Items) == limit {
			resp.More = true
			break
		}
		resp.Items = append(resp.Items, item)
	}
	return resp, nil
}
