package metainfo

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// BeginObject starts a pending object (an upload) and returns its stream ID.
func (e *Endpoint) BeginObject(ctx context.Context, req *pb.BeginObjectRequest) (*pb.BeginObjectResponse, error) {
	key, err := e.authorize(ctx, req.Header, append(beginObjectLockActions(req),
		action(macaroon.ActionWrite, req.Bucket, req.EncryptedObjectKey))...)
	if err != nil {
		return nil, err
	}
	if err := validateBucketNameLength(req.Bucket); err != nil {
		return nil, err
	}
	if err := validateObjectKey(req.EncryptedObjectKey); err != nil {
		return nil, err
	}
	now := e.now()
	expiresAt := req.ExpiresAt
	ttl, err := key.Macaroon.GetMaxObjectTTL(ctx)
	if err != nil {
		return nil, errInvalid("invalid API key caveats: %v", err)
	}
	if ttl != nil {
		maxExpiration := now.Add(*ttl)
		if expiresAt.IsZero() {
			expiresAt = maxExpiration
		} else if expiresAt.After(maxExpiration) {
			return nil, errInvalid("cannot create object with expiration time later than the maximum object TTL of the API key")
		}
	}
	if err := validateExpiration(expiresAt, now); err != nil {
		return nil, err
	}
	if err := validateMetadata(req.EncryptedMetadata, req.EncryptedEtag); err != nil {
		return nil, err
	}
	if err := e.limits.admitUpload(e.db, key.Record.ProjectID, string(req.Bucket), req.EncryptedObjectKey, now); err != nil {
		return nil, err
	}
	stream, err := uuid.New()
	if err != nil {
		return nil, errInternal(err)
	}
	obj := &store.Object{
		ProjectID: key.Record.ProjectID,
		Bucket:    string(req.Bucket),
		Key:       req.EncryptedObjectKey,
		StreamID:  stream,
		Pending:   true,
		CreatedAt: now,
		ExpiresAt: expiresAt,
	}
	if req.EncryptionParameters != nil {
		obj.CipherSuite = int32(req.EncryptionParameters.CipherSuite)
		obj.BlockSize = req.EncryptionParameters.BlockSize
	}
	if len(req.EncryptedMetadata) > 0 {
		obj.EncryptedMetadata = req.EncryptedMetadata
		obj.EncryptedMetadataKey = req.EncryptedMetadataEncryptedKey
		obj.EncryptedMetadataNonce = req.EncryptedMetadataNonce[:]
		obj.EncryptedETag = req.EncryptedEtag
	}
	err = e.db.Update(func(tx *store.Tx) error {
		bucket, err := tx.Bucket(obj.ProjectID, obj.Bucket)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errBucketNotFound(obj.Bucket)
			}
			return err
		}
		if err := applyObjectLock(bucket, req, obj, now); err != nil {
			return err
		}
		if err := checkUpload(tx, obj.ProjectID, uploadHeadroom); err != nil {
			return err
		}
		return tx.PutObject(obj)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.BeginObjectResponse{
		Bucket:               req.Bucket,
		EncryptedObjectKey:   req.EncryptedObjectKey,
		StreamId:             e.ids.encodeStream(stream),
		RedundancyScheme:     rsToProto(e.rs),
		EncryptionParameters: e.encryption(obj),
	}, nil
}

// CommitObject turns a pending object into the committed object at its key, replacing any
// previous one; parts may be sparse, offsets follow (part, index) order.
func (e *Endpoint) CommitObject(ctx context.Context, req *pb.CommitObjectRequest) (*pb.CommitObjectResponse, error) {
	// The real satellite counts a commit against the project's rate but never refuses one.
	key, obj, err := e.streamObjectRate(ctx, req.Header, req.StreamId, macaroon.ActionWrite, false)
	if err != nil {
		return nil, err
	}
	if !obj.Pending {
		return nil, errObjectNotFound()
	}
	if err := validateStoredMetadata(req.EncryptedMetadata, req.EncryptedEtag, req.EncryptedMetadataEncryptedKey); err != nil {
		return nil, err
	}
	canDelete := e.allows(ctx, key, macaroon.ActionDelete, obj.Bucket, obj.Key)
	err = e.db.Update(func(tx *store.Tx) error {
		current, err := tx.ObjectByStream(obj.StreamID)
		if err != nil || !current.Pending {
			return errObjectNotFound()
		}
		obj = current
		segments, err := tx.Segments(obj.StreamID)
		if err != nil {
			return err
		}
		sort.Slice(segments, func(i, j int) bool { return segments[i].Position() < segments[j].Position() })
		if err := validateParts(segments); err != nil {
			return err
		}
		obj.SegmentCount = int32(len(segments))
		obj.TotalPlainSize, obj.TotalEncSize, obj.FixedSegmentSize = 0, 0, 0
		for i, s := range segments {
			s.PlainOffset = obj.TotalPlainSize
			obj.TotalPlainSize += s.PlainSize
			obj.TotalEncSize += s.EncryptedSize
			if i == 0 {
				obj.FixedSegmentSize = s.EncryptedSize
			}
			if err := tx.PutSegment(s); err != nil {
				return err
			}
		}
		if !req.SkipOverrideEncryptedMetadata && len(req.EncryptedMetadata) > 0 {
			obj.EncryptedMetadata = req.EncryptedMetadata
			obj.EncryptedMetadataKey = req.EncryptedMetadataEncryptedKey
			obj.EncryptedMetadataNonce = req.EncryptedMetadataNonce[:]
			obj.EncryptedETag = req.EncryptedEtag
		}
		if err := tx.DeleteObject(obj); err != nil {
			return err
		}
		obj.Pending = false
		obj.CreatedAt = e.now()
		return placeCommitted(tx, obj, canDelete, req.IfNoneMatch, obj.CreatedAt)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.CommitObjectResponse{Object: e.objectToProto(obj)}, nil
}

// committedObject returns the live committed object at a key.
func (e *Endpoint) committedObject(project uuid.UUID, bucket, key []byte) (*store.Object, error) {
	var obj *store.Object
	err := e.db.View(func(tx *store.Tx) (err error) {
		obj, err = tx.CommittedObject(project, string(bucket), key)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && expired(obj, e.now())) {
		return nil, errObjectNotFound()
	}
	if err != nil {
		return nil, errInternal(err)
	}
	return obj, nil
}

// expired reports whether an object's expiration passed; expired objects are invisible.
func expired(o *store.Object, now time.Time) bool {
	return !o.ExpiresAt.IsZero() && !o.ExpiresAt.After(now)
}

// GetObject returns the committed object at a key (Read or List permission).
func (e *Endpoint) GetObject(ctx context.Context, req *pb.GetObjectRequest) (*pb.GetObjectResponse, error) {
	obj, err := e.visibleObject(ctx, req.Header, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion)
	if err != nil {
		return nil, err
	}
	return &pb.GetObjectResponse{Object: e.objectToProto(obj)}, nil
}

// visibleObject is the committed object at a key (the latest, or the version named), if the
// caller may read or list it.
func (e *Endpoint) visibleObject(ctx context.Context, header *pb.RequestHeader, bucket, encryptedKey, version []byte) (*store.Object, error) {
	key, err := e.authorizeAny(ctx, header,
		action(macaroon.ActionRead, bucket, encryptedKey),
		action(macaroon.ActionList, bucket, encryptedKey))
	if err != nil {
		return nil, err
	}
	return e.readableVersion(key.Record.ProjectID, bucket, encryptedKey, version)
}

// BeginDeleteObject deletes the committed object at a key, or aborts a pending upload when the
// request names its stream with status UPLOADING.
func (e *Endpoint) BeginDeleteObject(ctx context.Context, req *pb.BeginDeleteObjectRequest) (*pb.BeginDeleteObjectResponse, error) {
	actions := []macaroon.Action{action(macaroon.ActionDelete, req.Bucket, req.EncryptedObjectKey)}
	if req.BypassGovernanceRetention {
		actions = append(actions, action(macaroon.ActionBypassGovernanceRetention, req.Bucket, req.EncryptedObjectKey))
	}
	key, err := e.authorize(ctx, req.Header, actions...)
	if err != nil {
		return nil, err
	}
	project := key.Record.ProjectID
	canRead := e.allows(ctx, key, macaroon.ActionRead, string(req.Bucket), req.EncryptedObjectKey) ||
		e.allows(ctx, key, macaroon.ActionList, string(req.Bucket), req.EncryptedObjectKey)

	if req.Status == int32(pb.Object_UPLOADING) && req.StreamId == nil {
		return nil, errInvalid("StreamID missing")
	}
	deleted, err := e.beginDelete(req, project)
	if err != nil {
		if !canRead {
			// A key that can neither read nor list learns nothing from a failed delete: the real
			// satellite answers success, without the object.
			return &pb.BeginDeleteObjectResponse{}, nil
		}
		return nil, asRPC(err)
	}
	resp := &pb.BeginDeleteObjectResponse{}
	if deleted != nil && canRead && !expired(deleted, e.now()) {
		resp.Object = e.objectToProto(deleted)
		resp.StreamId = resp.Object.StreamId
	}
	return resp, nil
}

// beginDelete aborts the pending upload a request names (status UPLOADING, with its stream ID) or
// deletes the committed object at its key, and returns what it removed (nil: nothing).
func (e *Endpoint) beginDelete(req *pb.BeginDeleteObjectRequest, project [16]byte) (deleted *store.Object, err error) {
	if req.Status != int32(pb.Object_UPLOADING) {
		err = e.db.Update(func(tx *store.Tx) error {
			done, err := e.deleteCommitted(tx, project, string(req.Bucket), req.EncryptedObjectKey, req.ObjectVersion, req.BypassGovernanceRetention)
			deleted = done.removed
			if done.marker != nil {
				deleted = done.marker
			}
			return err
		})
		return deleted, err
	}
	stream, err := e.ids.decodeStream(*req.StreamId)
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		obj, err := tx.ObjectByStream(stream)
		if err != nil || !obj.Pending || obj.ProjectID != project ||
			obj.Bucket != string(req.Bucket) || !bytes.Equal(obj.Key, req.EncryptedObjectKey) {
			return errObjectNotFound()
		}
		deleted = obj
		return deleteObject(tx, obj)
	})
	return deleted, err
}

// UpdateObjectMetadata replaces the metadata of the committed object with the given stream.
func (e *Endpoint) UpdateObjectMetadata(ctx context.Context, req *pb.UpdateObjectMetadataRequest) (*pb.UpdateObjectMetadataResponse, error) {
	key, err := e.authorize(ctx, req.Header, action(macaroon.ActionWrite, req.Bucket, req.EncryptedObjectKey))
	if err != nil {
		return nil, err
	}
	if err := validateStoredMetadata(req.EncryptedMetadata, req.EncryptedEtag, req.EncryptedMetadataEncryptedKey); err != nil {
		return nil, err
	}
	if len(req.ObjectVersion) > 0 {
		return nil, errUnimplemented("UpdateObjectMetadata of a named version")
	}
	stream, err := e.ids.decodeStream(req.StreamId)
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		obj, err := tx.CommittedObject(key.Record.ProjectID, string(req.Bucket), req.EncryptedObjectKey)
		if err != nil || obj.StreamID != stream || expired(obj, e.now()) {
			return errObjectNotFound()
		}
		obj.EncryptedMetadata = req.EncryptedMetadata
		obj.EncryptedMetadataKey = req.EncryptedMetadataEncryptedKey
		obj.EncryptedMetadataNonce = req.EncryptedMetadataNonce[:]
		if len(req.EncryptedMetadata) == 0 {
			obj.EncryptedMetadataKey, obj.EncryptedMetadataNonce = nil, nil
		}
		if req.SetEncryptedEtag {
			obj.EncryptedETag = req.EncryptedEtag
		}
		return tx.PutObject(obj)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.UpdateObjectMetadataResponse{}, nil
}

// ListPendingObjectStreams lists the pending uploads of exactly one key.
func (e *Endpoint) ListPendingObjectStreams(ctx context.Context, req *pb.ListPendingObjectStreamsRequest) (*pb.ListPendingObjectStreamsResponse, error) {
	key, _, err := e.authorizedBucket(ctx, req.Header, req.Bucket, action(macaroon.ActionList, req.Bucket, req.EncryptedObjectKey))
	if err != nil {
		return nil, err
	}
	limit := listLimit(req.Limit)
	var cursor uuid.UUID
	if len(req.StreamIdCursor) > 0 {
		if cursor, err = e.ids.decodeStream(req.StreamIdCursor); err != nil {
			return nil, err
		}
	}
	prefix := append(store.ObjectPrefix(key.Record.ProjectID, string(req.Bucket)), req.EncryptedObjectKey...)
	resp := &pb.ListPendingObjectStreamsResponse{}
	err = e.db.View(func(tx *store.Tx) error {
		return tx.Objects(true, prefix, prefix, func(o *store.Object) (bool, error) {
			if !bytes.Equal(o.Key, req.EncryptedObjectKey) || bytes.Compare(o.StreamID[:], cursor[:]) <= 0 {
				return true, nil
			}
			if len(resp.Items) == limit {
				resp.More = true
				return false, nil
			}
			resp.Items = append(resp.Items, e.listItem(o, o.Key, nil))
			return true, nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return resp, nil
}
