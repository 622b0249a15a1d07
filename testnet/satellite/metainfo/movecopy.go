package metainfo

import (
	"context"
	"errors"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/uuid"

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

// beginRelocation checks a move's or copy's permissions and returns the source (the version
// named, else the latest) and its keys.
func (e *Endpoint) beginRelocation(ctx context.Context, header *pb.RequestHeader, bucket, objectKey, version, newBucket, newKey []byte, move bool) (*store.Object, []*pb.EncryptedKeyAndNonce, error) {
	actions := []macaroon.Action{
		action(macaroon.ActionRead, bucket, objectKey),
		action(macaroon.ActionWrite, newBucket, newKey),
	}
	if move {
		actions = append(actions, action(macaroon.ActionDelete, bucket, objectKey))
	}
	key, err := e.authorize(ctx, header, actions...)
	if err != nil {
		return nil, nil, err
	}
	if err := validateObjectKey(newKey); err != nil {
		return nil, nil, err
	}
	for _, b := range [][]byte{bucket, newBucket} {
		if _, err := e.getBucket(key.Record.ProjectID, b); err != nil {
			return nil, nil, err
		}
	}
	obj, err := e.readableVersion(key.Record.ProjectID, bucket, objectKey, version)
	if err != nil {
		return nil, nil, err
	}
	keys, err := e.keysOf(obj)
	return obj, keys, err
}

// BeginMoveObject returns the keys the client re-encrypts for the new location.
func (e *Endpoint) BeginMoveObject(ctx context.Context, req *pb.BeginMoveObjectRequest) (*pb.BeginMoveObjectResponse, error) {
	obj, keys, err := e.beginRelocation(ctx, req.Header, req.Bucket, req.EncryptedObjectKey, nil, req.NewBucket, req.NewEncryptedObjectKey, true)
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

// BeginCopyObject returns the keys the client re-encrypts for the copy.
func (e *Endpoint) BeginCopyObject(ctx context.Context, req *pb.BeginCopyObjectRequest) (*pb.BeginCopyObjectResponse, error) {
	obj, keys, err := e.beginRelocation(ctx, req.Header, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion, req.NewBucket, req.NewEncryptedObjectKey, false)
	if err != nil {
		return nil, err
	}
	return &pb.BeginCopyObjectResponse{
		StreamId:                  e.ids.encodeStream(obj.StreamID),
		EncryptedMetadataKeyNonce: toNonce(obj.EncryptedMetadataNonce),
		EncryptedMetadataKey:      obj.EncryptedMetadataKey,
		SegmentKeys:               keys,
		EncryptionParameters:      e.encryption(obj),
	}, nil
}

// relocation is how a move or copy places its object at the destination.
type relocation struct {
	// canDelete says whether an unversioned object already at the destination may be replaced.
	canDelete bool
	// ifNoneMatch refuses the relocation when the destination key has an object ("*").
	ifNoneMatch []string
	// retention and legalHold are the new object's explicit lock settings; without them the
	// destination bucket's default retention applies.
	retention *pb.Retention
	legalHold bool
	now       time.Time
}

// relocate writes obj (with a new location and keys) to the store as the newest version at the
// destination (as the destination bucket's versioning says); the caller decides whether the
// source stays (copy) or goes (move). The source's Object Lock settings stay behind: the new
// object is locked as an upload to the destination would be.
func relocate(tx *store.Tx, obj *store.Object, segments []*store.Segment, keys []*pb.EncryptedKeyAndNonce, r relocation) error {
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

// FinishMoveObject moves the object to its new bucket and key with the re-encrypted keys.
func (e *Endpoint) FinishMoveObject(ctx context.Context, req *pb.FinishMoveObjectRequest) (*pb.FinishMoveObjectResponse, error) {
	key, err := e.authorize(ctx, req.Header, append(lockActions(req.NewBucket, req.NewEncryptedObjectKey, req.Retention, req.LegalHold),
		action(macaroon.ActionWrite, req.NewBucket, req.NewEncryptedObjectKey))...)
	if err != nil {
		return nil, err
	}
	stream, err := e.ids.decodeStream(req.StreamId)
	if err != nil {
		return nil, err
	}
	if err := validateObjectKey(req.NewEncryptedObjectKey); err != nil {
		return nil, err
	}
	// Replacing an object already at the destination deletes it: that needs Delete there.
	canDelete := e.allows(ctx, key, macaroon.ActionDelete, string(req.NewBucket), req.NewEncryptedObjectKey)
	err = e.db.Update(func(tx *store.Tx) error {
		obj, err := tx.ObjectByStream(stream)
		if err != nil || obj.Pending || obj.ProjectID != key.Record.ProjectID {
			return errObjectNotFound()
		}
		if _, err := tx.Bucket(obj.ProjectID, string(req.NewBucket)); err != nil {
			return errBucketNotFound(string(req.NewBucket))
		}
		segments, err := tx.Segments(obj.StreamID)
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
		obj.Bucket, obj.Key = string(req.NewBucket), req.NewEncryptedObjectKey
		obj.EncryptedMetadataKey = req.NewEncryptedMetadataKey
		obj.EncryptedMetadataNonce = req.NewEncryptedMetadataKeyNonce[:]
		if len(obj.EncryptedMetadata) == 0 {
			obj.EncryptedMetadataKey, obj.EncryptedMetadataNonce = nil, nil
		}
		return relocate(tx, obj, segments, req.NewSegmentKeys, relocation{
			canDelete: canDelete, retention: req.Retention, legalHold: req.LegalHold, now: e.now(),
		})
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.FinishMoveObjectResponse{}, nil
}

// FinishCopyObject creates a new object sharing the source's pieces, with re-encrypted keys.
func (e *Endpoint) FinishCopyObject(ctx context.Context, req *pb.FinishCopyObjectRequest) (*pb.FinishCopyObjectResponse, error) {
	key, err := e.authorize(ctx, req.Header, append(lockActions(req.NewBucket, req.NewEncryptedObjectKey, req.Retention, req.LegalHold),
		action(macaroon.ActionWrite, req.NewBucket, req.NewEncryptedObjectKey))...)
	if err != nil {
		return nil, err
	}
	stream, err := e.ids.decodeStream(req.StreamId)
	if err != nil {
		return nil, err
	}
	if err := validateObjectKey(req.NewEncryptedObjectKey); err != nil {
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
		source, err := tx.ObjectByStream(stream)
		if err != nil || source.Pending || source.ProjectID != key.Record.ProjectID {
			return errObjectNotFound()
		}
		if _, err := tx.Bucket(source.ProjectID, string(req.NewBucket)); err != nil {
			return errBucketNotFound(string(req.NewBucket))
		}
		segments, err := tx.Segments(source.StreamID)
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
		copied.Bucket, copied.Key = string(req.NewBucket), req.NewEncryptedObjectKey
		copied.CreatedAt = e.now()
		if req.OverrideMetadata {
			copied.EncryptedMetadata = req.NewEncryptedMetadata
			copied.EncryptedETag = req.NewEncryptedEtag
		}
		copied.EncryptedMetadataKey = req.NewEncryptedMetadataKey
		copied.EncryptedMetadataNonce = req.NewEncryptedMetadataKeyNonce[:]
		if len(copied.EncryptedMetadata) == 0 {
			copied.EncryptedMetadataKey, copied.EncryptedMetadataNonce = nil, nil
		}
		// The real satellite lets a copy replace an object without Delete permission.
		err = relocate(tx, copied, segments, req.NewSegmentKeys, relocation{
			canDelete: true, ifNoneMatch: req.IfNoneMatch, retention: req.Retention, legalHold: req.LegalHold, now: copied.CreatedAt,
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
