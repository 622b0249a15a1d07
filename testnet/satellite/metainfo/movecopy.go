package metainfo

import (
	"context"
	"errors"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/uuid"

	"testnet/satellite/apikeys"
	"testnet/satellite/store"
)

// keysOf returns what the client needs to re-encrypt an object's keys for a new location.
func (e *Endpoint) keysOf(obj *store.Object) ([]*pb.EncryptedKeyAndNonce, error) {
	segments, err := e.segments(obj.StreamID)
	if err != nil {
		return nil, err
	}
	keys := make([]*pb.EncryptedKeyAndNonce, 0, len(segments))
	for _, s := range segments {
		keys = append(keys, &pb.EncryptedKeyAndNonce{
			Position:          &pb.SegmentPosition{PartNumber: s.Part, Index: s.Index},
			EncryptedKeyNonce: toNonce(s.EncryptedKeyNonce),
			EncryptedKey:      s.EncryptedKey,
		})
	}
	return keys, nil
}

// beginRelocation checks a move's or copy's permissions and answers with the source (the version
// named, else the latest) and the keys the client re-encrypts for the new location. A copy's
// answer has the same fields as a move's (BeginCopyObject converts it).
func (e *Endpoint) beginRelocation(ctx context.Context, header *pb.RequestHeader, bucket, objectKey, version, newBucket, newKey []byte, move bool) (*pb.BeginMoveObjectResponse, error) {
	actions := []macaroon.Action{
		action(macaroon.ActionRead, bucket, objectKey),
		action(macaroon.ActionWrite, newBucket, newKey),
	}
	if move {
		actions = append(actions, action(macaroon.ActionDelete, bucket, objectKey))
	}
	key, err := e.authorize(ctx, header, actions...)
	if err != nil {
		return nil, err
	}
	if err := validateObjectKey(newKey); err != nil {
		return nil, err
	}
	for _, b := range [][]byte{bucket, newBucket} {
		if _, err := e.getBucket(key.Record.ProjectID, b); err != nil {
			return nil, err
		}
	}
	obj, err := e.readableVersion(key.Record.ProjectID, bucket, objectKey, version)
	if err != nil {
		return nil, err
	}
	keys, err := e.keysOf(obj)
	if err != nil {
		return nil, err
	}
	return &pb.BeginMoveObjectResponse{
		StreamId:                  e.ids.encodeStream(obj.StreamID),
		EncryptedMetadataKeyNonce: toNonce(obj.EncryptedMetadataNonce),
		EncryptedMetadataKey:      obj.EncryptedMetadataKey,
		SegmentKeys:               keys,
		EncryptionParameters:      e.encryption(obj),
	}, nil
}

// BeginMoveObject returns the keys the client re-encrypts for the new location.
func (e *Endpoint) BeginMoveObject(ctx context.Context, req *pb.BeginMoveObjectRequest) (*pb.BeginMoveObjectResponse, error) {
	return e.beginRelocation(ctx, req.Header, req.Bucket, req.EncryptedObjectKey, nil, req.NewBucket, req.NewEncryptedObjectKey, true)
}

// BeginCopyObject returns the keys the client re-encrypts for the copy.
func (e *Endpoint) BeginCopyObject(ctx context.Context, req *pb.BeginCopyObjectRequest) (*pb.BeginCopyObjectResponse, error) {
	resp, err := e.beginRelocation(ctx, req.Header, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion, req.NewBucket, req.NewEncryptedObjectKey, false)
	if err != nil {
		return nil, err
	}
	return (*pb.BeginCopyObjectResponse)(resp), nil
}

// relocation is where and how a move or copy places its object at the destination.
type relocation struct {
	bucket string
	key    []byte
	// canDelete says whether an unversioned object already at the destination may be replaced.
	canDelete bool
	// ifNoneMatch refuses the relocation when the destination key has an object ("*").
	ifNoneMatch []string
	// retention and legalHold are the new object's explicit lock settings; without them the
	// destination bucket's default retention applies.
	retention *pb.Retention
	legalHold bool
	now       time.Time
	// metadataKey and metadataNonce are the object's metadata key, re-encrypted by the client for
	// the new location (dropped when the object has no metadata: there is nothing it encrypts).
	metadataKey   []byte
	metadataNonce pb.Nonce
}

// relocate writes obj with its new location and keys to the store as the newest version at the
// destination (as the destination bucket's versioning says); the caller decides whether the
// source stays (copy) or goes (move). The source's Object Lock settings stay behind: the new
// object is locked as an upload to the destination would be.
func relocate(tx *store.Tx, obj *store.Object, segments []*store.Segment, keys []*pb.EncryptedKeyAndNonce, r relocation) error {
	obj.Bucket, obj.Key = r.bucket, r.key
	obj.EncryptedMetadataKey, obj.EncryptedMetadataNonce = r.metadataKey, r.metadataNonce[:]
	if len(obj.EncryptedMetadata) == 0 {
		obj.EncryptedMetadataKey, obj.EncryptedMetadataNonce = nil, nil
	}
	byPosition := map[uint64]*pb.EncryptedKeyAndNonce{}
	for _, k := range keys {
		if k.Position != nil {
			byPosition[store.Position(k.Position.PartNumber, k.Position.Index)] = k
		}
	}
	if len(byPosition) != len(segments) {
		return errInvalid("wrong number of segment keys: got %d, need %d", len(byPosition), len(segments))
	}
	for _, s := range segments {
		k, ok := byPosition[s.Position()]
		if !ok {
			return errInvalid("missing key for segment %d/%d", s.Part, s.Index)
		}
		s.StreamID = obj.StreamID
		s.EncryptedKey = k.EncryptedKey
		s.EncryptedKeyNonce = k.EncryptedKeyNonce[:]
		if err := tx.PutSegment(s); err != nil {
			return err
		}
	}
	bucket, err := tx.Bucket(obj.ProjectID, obj.Bucket)
	if errors.Is(err, store.ErrNotFound) {
		return errBucketNotFound(obj.Bucket)
	}
	if err != nil {
		return err
	}
	obj.RetentionMode, obj.RetainUntil, obj.LegalHold = 0, time.Time{}, false
	if err := applyObjectLock(bucket, &pb.BeginObjectRequest{Retention: r.retention, LegalHold: r.legalHold}, obj, r.now); err != nil {
		return err
	}
	return placeCommitted(tx, obj, r.canDelete, r.ifNoneMatch, r.now)
}

// authorizeFinish checks a finishing move's or copy's permissions (Write at the destination and
// what its Object Lock settings need) and new key, and decodes the source's stream ID.
func (e *Endpoint) authorizeFinish(ctx context.Context, header *pb.RequestHeader, streamID, newBucket, newKey []byte, retention *pb.Retention, legalHold bool) (*apikeys.Key, uuid.UUID, error) {
	key, err := e.authorize(ctx, header, append(lockActions(newBucket, newKey, retention, legalHold),
		action(macaroon.ActionWrite, newBucket, newKey))...)
	if err != nil {
		return nil, uuid.UUID{}, err
	}
	stream, err := e.ids.decodeStream(streamID)
	if err != nil {
		return nil, uuid.UUID{}, err
	}
	if err := validateObjectKey(newKey); err != nil {
		return nil, uuid.UUID{}, err
	}
	return key, stream, nil
}

// relocationSource is the project's committed object behind a finish's stream ID, with its
// segments, once the destination bucket is known to exist.
func relocationSource(tx *store.Tx, stream, project uuid.UUID, newBucket string) (*store.Object, []*store.Segment, error) {
	obj, err := tx.ObjectByStream(stream)
	if err != nil || obj.Pending || obj.ProjectID != project {
		return nil, nil, errObjectNotFound()
	}
	if _, err := tx.Bucket(obj.ProjectID, newBucket); err != nil {
		return nil, nil, errBucketNotFound(newBucket)
	}
	segments, err := tx.Segments(obj.StreamID)
	if err != nil {
		return nil, nil, err
	}
	return obj, segments, nil
}

// FinishMoveObject moves the object to its new bucket and key with the re-encrypted keys.
func (e *Endpoint) FinishMoveObject(ctx context.Context, req *pb.FinishMoveObjectRequest) (*pb.FinishMoveObjectResponse, error) {
	key, stream, err := e.authorizeFinish(ctx, req.Header, req.StreamId, req.NewBucket, req.NewEncryptedObjectKey, req.Retention, req.LegalHold)
	if err != nil {
		return nil, err
	}
	// Replacing an object already at the destination deletes it: that needs Delete there.
	canDelete := e.allows(ctx, key, macaroon.ActionDelete, string(req.NewBucket), req.NewEncryptedObjectKey)
	err = e.db.Update(func(tx *store.Tx) error {
		obj, segments, err := relocationSource(tx, stream, key.Record.ProjectID, string(req.NewBucket))
		if err != nil {
			return err
		}
		// Object Lock protects a version from being moved away as from being deleted.
		if err := checkProtected(obj, false, e.now()); err != nil {
			return err
		}
		if err := tx.DeleteObject(obj); err != nil {
			return err
		}
		if err := promoteLatest(tx, obj); err != nil {
			return err
		}
		return relocate(tx, obj, segments, req.NewSegmentKeys, relocation{
			bucket: string(req.NewBucket), key: req.NewEncryptedObjectKey,
			canDelete: canDelete, retention: req.Retention, legalHold: req.LegalHold, now: e.now(),
			metadataKey: req.NewEncryptedMetadataKey, metadataNonce: req.NewEncryptedMetadataKeyNonce,
		})
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.FinishMoveObjectResponse{}, nil
}

// FinishCopyObject creates a new object sharing the source's pieces, with re-encrypted keys.
func (e *Endpoint) FinishCopyObject(ctx context.Context, req *pb.FinishCopyObjectRequest) (*pb.FinishCopyObjectResponse, error) {
	key, stream, err := e.authorizeFinish(ctx, req.Header, req.StreamId, req.NewBucket, req.NewEncryptedObjectKey, req.Retention, req.LegalHold)
	if err != nil {
		return nil, err
	}
	if req.OverrideMetadata {
		if err := validateStoredMetadata(req.NewEncryptedMetadata, req.NewEncryptedEtag, req.NewEncryptedMetadataKey); err != nil {
			return nil, err
		}
	}
	newStream, err := uuid.New()
	if err != nil {
		return nil, errInternal(err)
	}
	var copied *store.Object
	err = e.db.Update(func(tx *store.Tx) error {
		source, segments, err := relocationSource(tx, stream, key.Record.ProjectID, string(req.NewBucket))
		if err != nil {
			return err
		}
		var delta store.Usage
		for _, s := range segments {
			delta.StorageBytes += s.EncryptedSize
			delta.Segments++
		}
		if err := checkUpload(tx, source.ProjectID, delta); err != nil {
			return err
		}
		copied = source
		copied.StreamID = newStream
		copied.CreatedAt = e.now()
		if req.OverrideMetadata {
			copied.EncryptedMetadata = req.NewEncryptedMetadata
			copied.EncryptedETag = req.NewEncryptedEtag
		}
		// The real satellite lets a copy replace an object without Delete permission.
		err = relocate(tx, copied, segments, req.NewSegmentKeys, relocation{
			bucket: string(req.NewBucket), key: req.NewEncryptedObjectKey,
			canDelete: true, ifNoneMatch: req.IfNoneMatch, retention: req.Retention, legalHold: req.LegalHold, now: copied.CreatedAt,
			metadataKey: req.NewEncryptedMetadataKey, metadataNonce: req.NewEncryptedMetadataKeyNonce,
		})
		if err != nil {
			return err
		}
		return addUsage(tx, copied.ProjectID, delta)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.FinishCopyObjectResponse{Object: e.objectToProto(copied)}, nil
}
