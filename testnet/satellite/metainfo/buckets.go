package metainfo

import (
	"context"
	"errors"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/uuid"

	"testnet/satellite/apikeys"
	"testnet/satellite/store"
)

// DefaultMaxBuckets is the real satellite's default bucket limit of a project. Its refusal names
// this default even for a project with a limit of its own, as the real satellite's text does.
const DefaultMaxBuckets = 100

// checkBucketCount refuses a new bucket once the project has as many as its limit allows.
func checkBucketCount(tx *store.Tx, project uuid.UUID) error {
	p, err := tx.Project(project)
	if err != nil || p.Limits.Buckets <= 0 {
		return err
	}
	var count int64
	err = tx.Buckets(project, "", func(*store.Bucket) (bool, error) {
		count++
		return count < p.Limits.Buckets, nil
	})
	if err != nil {
		return err
	}
	if count >= p.Limits.Buckets {
		return rpcstatus.Errorf(rpcstatus.ResourceExhausted, "number of allocated buckets (%d) exceeded", DefaultMaxBuckets)
	}
	return nil
}

// ProjectInfo returns the project's salt, which the client turns into its root key.
func (e *Endpoint) ProjectInfo(ctx context.Context, req *pb.ProjectInfoRequest) (*pb.ProjectInfoResponse, error) {
	key, err := e.authorize(ctx, req.Header, macaroon.Action{Op: macaroon.ActionProjectInfo})
	if err != nil {
		return nil, err
	}
	var project *store.Project
	err = e.db.View(func(tx *store.Tx) error {
		project, err = tx.Project(key.Record.ProjectID)
		return err
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &pb.ProjectInfoResponse{
		ProjectSalt:      project.Salt,
		ProjectPublicId:  project.ID[:],
		ProjectCreatedAt: project.CreatedAt,
	}, nil
}

// RevokeAPIKey revokes a key derived from the caller's key.
func (e *Endpoint) RevokeAPIKey(ctx context.Context, req *pb.RevokeAPIKeyRequest) (*pb.RevokeAPIKeyResponse, error) {
	key, err := e.admitKey(req.Header, true)
	if err != nil {
		return nil, err
	}
	if err := e.keys.Revoke(ctx, key, req.ApiKey); err != nil {
		return nil, err
	}
	return &pb.RevokeAPIKeyResponse{}, nil
}

// CreateBucket creates a bucket.
func (e *Endpoint) CreateBucket(ctx context.Context, req *pb.CreateBucketRequest) (*pb.CreateBucketResponse, error) {
	actions := []macaroon.Action{action(macaroon.ActionWrite, req.Name, nil)}
	if req.ObjectLockEnabled {
		actions = append(actions, action(macaroon.ActionPutBucketObjectLockConfiguration, req.Name, nil))
	}
	key, err := e.authorize(ctx, req.Header, actions...)
	if err != nil {
		return nil, err
	}
	if err := validateBucketName(string(req.Name)); err != nil {
		return nil, err
	}
	if len(req.Placement) > 0 {
		return nil, errUnimplemented("bucket placement")
	}
	// Object Lock buckets are versioned from the start; others start unversioned.
	bucket := &store.Bucket{Name: string(req.Name), CreatedAt: e.now(), Versioning: versioningUnversioned}
	if req.ObjectLockEnabled {
		bucket.Versioning, bucket.ObjectLock = versioningEnabled, true
	}
	err = e.db.Update(func(tx *store.Tx) error {
		if _, err := tx.Bucket(key.Record.ProjectID, bucket.Name); err == nil {
			return rpcstatus.Error(rpcstatus.AlreadyExists, "bucket already exists")
		}
		if err := checkBucketCount(tx, key.Record.ProjectID); err != nil {
			return err
		}
		return tx.PutBucket(key.Record.ProjectID, bucket)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.CreateBucketResponse{Bucket: bucketToProto(bucket)}, nil
}

func bucketToProto(b *store.Bucket) *pb.Bucket {
	return &pb.Bucket{Name: []byte(b.Name), CreatedAt: b.CreatedAt}
}

func (e *Endpoint) getBucket(project uuid.UUID, name []byte) (*store.Bucket, error) {
	var bucket *store.Bucket
	err := e.db.View(func(tx *store.Tx) (err error) {
		bucket, err = tx.Bucket(project, string(name))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errBucketNotFound(string(name))
	}
	if err != nil {
		return nil, errInternal(err)
	}
	return bucket, nil
}

// GetBucket returns a bucket.
func (e *Endpoint) GetBucket(ctx context.Context, req *pb.GetBucketRequest) (*pb.GetBucketResponse, error) {
	bucket, err := e.readBucket(ctx, req.Header, req.Name)
	if err != nil {
		return nil, err
	}
	return &pb.GetBucketResponse{Bucket: bucketToProto(bucket)}, nil
}

// readBucket returns a bucket the key may read.
func (e *Endpoint) readBucket(ctx context.Context, header *pb.RequestHeader, name []byte) (*store.Bucket, error) {
	_, bucket, err := e.authorizedBucket(ctx, header, name, action(macaroon.ActionRead, name, nil))
	return bucket, err
}

// authorizedBucket authorizes actions and returns the key and the bucket of its project they
// act in (which must exist).
func (e *Endpoint) authorizedBucket(ctx context.Context, header *pb.RequestHeader, name []byte, actions ...macaroon.Action) (*apikeys.Key, *store.Bucket, error) {
	key, err := e.authorize(ctx, header, actions...)
	if err != nil {
		return nil, nil, err
	}
	bucket, err := e.getBucket(key.Record.ProjectID, name)
	if err != nil {
		return nil, nil, err
	}
	return key, bucket, nil
}

// ListBuckets lists the buckets the key may see, in name order after the cursor.
func (e *Endpoint) ListBuckets(ctx context.Context, req *pb.ListBucketsRequest) (*pb.ListBucketsResponse, error) {
	key, err := e.authorize(ctx, req.Header, macaroon.Action{Op: macaroon.ActionRead})
	if err != nil {
		return nil, err
	}
	allowed, err := key.Macaroon.GetAllowedBuckets(ctx, macaroon.Action{Op: macaroon.ActionRead, Time: e.now()})
	if err != nil {
		return nil, errInternal(err)
	}
	limit := listLimit(req.Limit)
	// AFTER (what the client sends) starts after the cursor, FORWARD at it.
	after, from := string(req.Cursor), ""
	switch req.Direction {
	case pb.ListDirection_UNSET, pb.ListDirection_AFTER:
	case pb.ListDirection_FORWARD:
		after, from = "", string(req.Cursor)
	default:
		return nil, errInvalid("unsupported listing direction %d", req.Direction)
	}
	resp := &pb.ListBucketsResponse{}
	err = e.db.View(func(tx *store.Tx) error {
		return tx.Buckets(key.Record.ProjectID, after, func(b *store.Bucket) (bool, error) {
			if _, ok := allowed.Buckets[b.Name]; (!allowed.All && !ok) || b.Name < from {
				return true, nil
			}
			if len(resp.Items) == limit {
				resp.More = true
				return false, nil
			}
			resp.Items = append(resp.Items, &pb.BucketListItem{Name: []byte(b.Name), CreatedAt: b.CreatedAt})
			return true, nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return resp, nil
}

// DeleteBucket deletes an empty bucket, or a bucket and all its objects when DeleteAll is set
// and the key may list it. As on the real satellite, a key that can neither read nor list the
// bucket learns nothing from a bucket that is not empty: the answer is success and the bucket
// stays; a missing bucket is reported to any key that may delete it.
func (e *Endpoint) DeleteBucket(ctx context.Context, req *pb.DeleteBucketRequest) (*pb.DeleteBucketResponse, error) {
	actions := []macaroon.Action{action(macaroon.ActionDelete, req.Name, nil)}
	if req.BypassGovernanceRetention {
		actions = append(actions, action(macaroon.ActionBypassGovernanceRetention, req.Name, nil))
	}
	key, err := e.authorize(ctx, req.Header, actions...)
	if err != nil {
		return nil, err
	}
	if err := validateBucketNameLength(req.Name); err != nil {
		return nil, err
	}
	canRead := e.allows(ctx, key, macaroon.ActionRead, string(req.Name), nil)
	canList := e.allows(ctx, key, macaroon.ActionList, string(req.Name), nil)
	project := key.Record.ProjectID
	var bucket *store.Bucket
	var deleted int64
	hidden := false
	err = e.db.Update(func(tx *store.Tx) error {
		bucket, err = e.bucketIn(tx, project, req.Name)
		if err != nil {
			return err
		}
		// Object Lock forbids emptying a bucket in one call, unless the bypass is used.
		if bucket.ObjectLock && req.DeleteAll && !req.BypassGovernanceRetention {
			return rpcstatus.Error(rpcstatus.PermissionDenied, "Unauthorized API credentials")
		}
		prefix := store.ObjectPrefix(project, bucket.Name)
		objects, err := tx.BucketVersions(prefix)
		if err != nil {
			return err
		}
		err = tx.Objects(true, prefix, prefix, func(o *store.Object) (bool, error) {
			objects = append(objects, o)
			return req.DeleteAll, nil
		})
		if err != nil {
			return err
		}
		switch {
		case len(objects) == 0:
		case !canRead && !canList:
			hidden = true
			return nil
		case !req.DeleteAll || !canList:
			return rpcstatus.Error(rpcstatus.FailedPrecondition, "bucket not empty")
		}
		for _, o := range objects {
			if err := deleteObject(tx, o); err != nil {
				return err
			}
			if !o.Pending && !o.DeleteMarker {
				deleted++
			}
		}
		return tx.DeleteBucket(project, bucket.Name)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	if hidden {
		return &pb.DeleteBucketResponse{}, nil
	}
	resp := &pb.DeleteBucketResponse{DeletedObjectsCount: deleted}
	if canRead || canList {
		resp.Bucket = bucketToProto(bucket)
	}
	return resp, nil
}
