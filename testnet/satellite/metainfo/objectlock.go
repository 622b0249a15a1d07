package metainfo

import (
	"context"
	"errors"
	"time"

	"github.com/gogo/protobuf/types"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/uuid"

	"testnet/satellite/apikeys"
	"testnet/satellite/store"
)

// Retention modes, numbered as the protocol numbers them.
const (
	retentionCompliance = int32(pb.Retention_COMPLIANCE)
	retentionGovernance = int32(pb.Retention_GOVERNANCE)
)

// Limits of a bucket's default retention (the real satellite's).
const (
	maxRetentionDays  = 36500
	maxRetentionYears = 10
)

// Texts of the real satellite where the client or users see them.
const (
	msgBucketNoLock       = "Object Lock is not enabled for this bucket"
	msgInvalidObjectState = "The operation is not permitted for this object"
)

func errBucketNoLock() error {
	return rpcstatus.Error(rpcstatus.ObjectLockBucketRetentionConfigurationMissing, msgBucketNoLock)
}

func errInvalidObjectState() error {
	return rpcstatus.Error(rpcstatus.ObjectLockInvalidObjectState, msgInvalidObjectState)
}

// retentionActive reports whether a version's retention still protects it.
func retentionActive(o *store.Object, now time.Time) bool {
	return o.RetentionMode != 0 && o.RetainUntil.After(now)
}

// checkProtected fails with ObjectLockObjectProtected when Object Lock forbids deleting (or
// replacing) a version: a legal hold, compliance retention, or governance retention without
// the bypass.
func checkProtected(o *store.Object, bypassGovernance bool, now time.Time) error {
	switch {
	case o.LegalHold:
		return rpcstatus.Error(rpcstatus.ObjectLockObjectProtected, "object is protected by a legal hold")
	case retentionActive(o, now) && (o.RetentionMode == retentionCompliance || !bypassGovernance):
		return rpcstatus.Error(rpcstatus.ObjectLockObjectProtected, "object is protected by a retention period")
	}
	return nil
}

// validRetention checks a retention a client asks for: a known mode and a future end.
func validRetention(r *pb.Retention, now time.Time) error {
	if r.Mode != pb.Retention_COMPLIANCE && r.Mode != pb.Retention_GOVERNANCE {
		return errInvalid("invalid retention mode %d", r.Mode)
	}
	if !r.RetainUntil.After(now) {
		return errInvalid("retention period expiration must be in the future")
	}
	return nil
}

func hasRetention(r *pb.Retention) bool { return r != nil && r.Mode != pb.Retention_INVALID }

// beginObjectLockActions are the permissions an upload's explicit lock settings need.
func beginObjectLockActions(req *pb.BeginObjectRequest) []macaroon.Action {
	return lockActions(req.Bucket, req.EncryptedObjectKey, req.Retention, req.LegalHold)
}

// lockActions are the permissions explicit lock settings for a new object at bucket/key need.
func lockActions(bucket, key []byte, retention *pb.Retention, legalHold bool) []macaroon.Action {
	var actions []macaroon.Action
	if hasRetention(retention) {
		actions = append(actions, action(macaroon.ActionPutObjectRetention, bucket, key))
	}
	if legalHold {
		actions = append(actions, action(macaroon.ActionPutObjectLegalHold, bucket, key))
	}
	return actions
}

// applyObjectLock sets a new object's lock from an upload's explicit settings or the bucket's
// default retention.
func applyObjectLock(bucket *store.Bucket, req *pb.BeginObjectRequest, obj *store.Object, now time.Time) error {
	explicit := hasRetention(req.Retention) || req.LegalHold
	if explicit && !bucket.ObjectLock {
		return errBucketNoLock()
	}
	if explicit && !obj.ExpiresAt.IsZero() {
		return rpcstatus.Error(rpcstatus.ObjectLockUploadWithTTL,
			"cannot specify an object expiration time when using Object Lock")
	}
	if hasRetention(req.Retention) {
		if err := validRetention(req.Retention, now); err != nil {
			return err
		}
		obj.RetentionMode, obj.RetainUntil = int32(req.Retention.Mode), req.Retention.RetainUntil
	} else if bucket.ObjectLock && bucket.DefaultRetentionMode != 0 {
		switch {
		case !req.ExpiresAt.IsZero():
			return rpcstatus.Error(rpcstatus.ObjectLockUploadWithTTLAndDefaultRetention,
				"cannot specify an object expiration time when uploading into a bucket with default retention settings")
		case !obj.ExpiresAt.IsZero():
			return rpcstatus.Error(rpcstatus.ObjectLockUploadWithTTLAPIKeyAndDefaultRetention,
				"cannot upload into a bucket with default retention settings using an API key that enforces an object expiration time")
		}
		obj.RetentionMode = bucket.DefaultRetentionMode
		obj.RetainUntil = now.AddDate(int(bucket.DefaultRetentionYears), 0, int(bucket.DefaultRetentionDays))
	}
	obj.LegalHold = req.LegalHold
	return nil
}

// lockedBucket authorizes actions and returns the project, failing unless the bucket has
// Object Lock.
func (e *Endpoint) lockedBucket(ctx context.Context, header *pb.RequestHeader, bucket []byte, actions ...macaroon.Action) (*apikeys.Key, *store.Bucket, error) {
	key, b, err := e.authorizedBucket(ctx, header, bucket, actions...)
	if err != nil {
		return nil, nil, err
	}
	if !b.ObjectLock {
		return nil, nil, errBucketNoLock()
	}
	return key, b, nil
}

// lockTarget is the version a retention or legal hold call is about: the latest visible object
// or a named version, never a delete marker.
func lockTarget(tx *store.Tx, project [16]byte, bucket string, key, versionIDBytes []byte, now time.Time) (*store.Object, error) {
	version, given, err := parseVersion(versionIDBytes)
	if err != nil {
		return nil, err
	}
	var obj *store.Object
	if given {
		if obj, err = objectVersion(tx, project, bucket, key, version); err != nil {
			return nil, err
		}
	} else {
		obj, err = tx.CommittedObject(project, bucket, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errObjectNotFound()
		}
		if err != nil {
			return nil, err
		}
	}
	if obj.DeleteMarker {
		return nil, errInvalidObjectState()
	}
	if expired(obj, now) {
		return nil, errObjectNotFound()
	}
	return obj, nil
}

// readLockTarget authorizes op and reads the version a get of its lock settings is about.
func (e *Endpoint) readLockTarget(ctx context.Context, header *pb.RequestHeader, op macaroon.ActionType, bucket, objectKey, version []byte) (*store.Object, error) {
	key, _, err := e.lockedBucket(ctx, header, bucket, action(op, bucket, objectKey))
	if err != nil {
		return nil, err
	}
	var obj *store.Object
	err = e.db.View(func(tx *store.Tx) (err error) {
		obj, err = lockTarget(tx, key.Record.ProjectID, string(bucket), objectKey, version, e.now())
		return err
	})
	return obj, asRPC(err)
}

// GetObjectRetention returns a version's retention.
func (e *Endpoint) GetObjectRetention(ctx context.Context, req *pb.GetObjectRetentionRequest) (*pb.GetObjectRetentionResponse, error) {
	obj, err := e.readLockTarget(ctx, req.Header, macaroon.ActionGetObjectRetention, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion)
	if err != nil {
		return nil, err
	}
	if obj.RetentionMode == 0 {
		return nil, rpcstatus.Error(rpcstatus.ObjectLockObjectRetentionConfigurationMissing,
			"object does not have a retention configuration")
	}
	return &pb.GetObjectRetentionResponse{Retention: &pb.Retention{
		Mode: pb.Retention_Mode(obj.RetentionMode), RetainUntil: obj.RetainUntil,
	}}, nil
}

// SetObjectRetention sets, extends, shortens or removes a version's retention. Compliance can
// only be extended while it lasts; governance can be shortened or removed only with the bypass
// (a permission of its own).
func (e *Endpoint) SetObjectRetention(ctx context.Context, req *pb.SetObjectRetentionRequest) (*pb.SetObjectRetentionResponse, error) {
	actions := []macaroon.Action{action(macaroon.ActionPutObjectRetention, req.Bucket, req.EncryptedObjectKey)}
	if req.BypassGovernanceRetention {
		actions = append(actions, action(macaroon.ActionBypassGovernanceRetention, req.Bucket, req.EncryptedObjectKey))
	}
	key, _, err := e.lockedBucket(ctx, req.Header, req.Bucket, actions...)
	if err != nil {
		return nil, err
	}
	now := e.now()
	if hasRetention(req.Retention) {
		if err := validRetention(req.Retention, now); err != nil {
			return nil, err
		}
	}
	err = e.changeLockTarget(key.Record.ProjectID, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion, now, func(obj *store.Object) error {
		if err := checkRetentionChange(obj, req.Retention, req.BypassGovernanceRetention, now); err != nil {
			return err
		}
		if hasRetention(req.Retention) {
			obj.RetentionMode, obj.RetainUntil = int32(req.Retention.Mode), req.Retention.RetainUntil
		} else {
			obj.RetentionMode, obj.RetainUntil = 0, time.Time{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &pb.SetObjectRetentionResponse{}, nil
}

// changeLockTarget changes the Object Lock settings of a version (one with an expiration has
// none to change) and stores it.
func (e *Endpoint) changeLockTarget(project uuid.UUID, bucket, key, version []byte, now time.Time, change func(obj *store.Object) error) error {
	return asRPC(e.db.Update(func(tx *store.Tx) error {
		obj, err := lockTarget(tx, project, string(bucket), key, version, now)
		if err != nil {
			return err
		}
		if !obj.ExpiresAt.IsZero() {
			return errInvalidObjectState()
		}
		if err := change(obj); err != nil {
			return err
		}
		return tx.PutObject(obj)
	}))
}

// checkRetentionChange allows any change of a retention that no longer protects the version,
// only extensions (keeping compliance) of a compliance one, and extensions of a governance one
// unless the governance bypass is used.
func checkRetentionChange(obj *store.Object, next *pb.Retention, bypass bool, now time.Time) error {
	if !retentionActive(obj, now) {
		return nil
	}
	extends := hasRetention(next) && !next.RetainUntil.Before(obj.RetainUntil)
	switch {
	case obj.RetentionMode == retentionCompliance:
		if extends && int32(next.Mode) == retentionCompliance {
			return nil
		}
	case bypass || extends:
		return nil
	}
	return rpcstatus.Error(rpcstatus.ObjectLockObjectProtected, "object is protected by a retention period")
}

// GetObjectLegalHold reports whether a version is under legal hold.
func (e *Endpoint) GetObjectLegalHold(ctx context.Context, req *pb.GetObjectLegalHoldRequest) (*pb.GetObjectLegalHoldResponse, error) {
	obj, err := e.readLockTarget(ctx, req.Header, macaroon.ActionGetObjectLegalHold, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion)
	if err != nil {
		return nil, err
	}
	return &pb.GetObjectLegalHoldResponse{Enabled: obj.LegalHold}, nil
}

// SetObjectLegalHold places or lifts a version's legal hold.
func (e *Endpoint) SetObjectLegalHold(ctx context.Context, req *pb.SetObjectLegalHoldRequest) (*pb.SetObjectLegalHoldResponse, error) {
	key, _, err := e.lockedBucket(ctx, req.Header, req.Bucket,
		action(macaroon.ActionPutObjectLegalHold, req.Bucket, req.EncryptedObjectKey))
	if err != nil {
		return nil, err
	}
	err = e.changeLockTarget(key.Record.ProjectID, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion, e.now(), func(obj *store.Object) error {
		obj.LegalHold = req.Enabled
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &pb.SetObjectLegalHoldResponse{}, nil
}

// GetBucketObjectLockConfiguration returns an Object Lock bucket's default retention.
func (e *Endpoint) GetBucketObjectLockConfiguration(ctx context.Context, req *pb.GetBucketObjectLockConfigurationRequest) (*pb.GetBucketObjectLockConfigurationResponse, error) {
	_, bucket, err := e.lockedBucket(ctx, req.Header, req.Name,
		action(macaroon.ActionGetBucketObjectLockConfiguration, req.Name, nil))
	if err != nil {
		return nil, err
	}
	config := &pb.ObjectLockConfiguration{Enabled: true}
	if bucket.DefaultRetentionMode != 0 {
		config.DefaultRetention = &pb.DefaultRetention{Mode: pb.Retention_Mode(bucket.DefaultRetentionMode)}
		if bucket.DefaultRetentionDays > 0 {
			config.DefaultRetention.Duration = &pb.DefaultRetention_Days{Days: bucket.DefaultRetentionDays}
		} else {
			config.DefaultRetention.Duration = &pb.DefaultRetention_Years{Years: bucket.DefaultRetentionYears}
		}
	}
	return &pb.GetBucketObjectLockConfigurationResponse{Configuration: config}, nil
}

// SetBucketObjectLockConfiguration sets or clears an Object Lock bucket's default retention;
// Object Lock itself cannot be turned off.
func (e *Endpoint) SetBucketObjectLockConfiguration(ctx context.Context, req *pb.SetBucketObjectLockConfigurationRequest) (*pb.SetBucketObjectLockConfigurationResponse, error) {
	key, _, err := e.lockedBucket(ctx, req.Header, req.Name,
		action(macaroon.ActionPutBucketObjectLockConfiguration, req.Name, nil))
	if err != nil {
		return nil, err
	}
	invalid := func(text string) error {
		return rpcstatus.Error(rpcstatus.ObjectLockInvalidBucketRetentionConfiguration, text)
	}
	config := req.Configuration
	if config == nil || !config.Enabled {
		return nil, invalid("Object Lock cannot be disabled for a bucket once enabled")
	}
	var mode, days, years int32
	if r := config.DefaultRetention; r != nil {
		mode, days, years = int32(r.Mode), r.GetDays(), r.GetYears()
		switch {
		case r.Mode != pb.Retention_COMPLIANCE && r.Mode != pb.Retention_GOVERNANCE:
			return nil, invalid("invalid default retention mode")
		case (days > 0) == (years > 0):
			return nil, invalid("default retention must specify either days or years")
		case days < 0 || years < 0 || days > maxRetentionDays || years > maxRetentionYears:
			return nil, invalid("default retention period out of range")
		}
	}
	err = e.db.Update(func(tx *store.Tx) error {
		bucket, err := e.bucketIn(tx, key.Record.ProjectID, req.Name)
		if err != nil {
			return err
		}
		bucket.DefaultRetentionMode, bucket.DefaultRetentionDays, bucket.DefaultRetentionYears = mode, days, years
		return tx.PutBucket(key.Record.ProjectID, bucket)
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return &pb.SetBucketObjectLockConfigurationResponse{}, nil
}

// addVersionFields fills what a committed object carries besides its data: its version, its
// retention and its legal hold.
func addVersionFields(out *pb.Object, o *store.Object) {
	if o.Pending {
		return
	}
	out.ObjectVersion = versionID(o)
	if o.RetentionMode != 0 {
		out.Retention = &pb.Retention{Mode: pb.Retention_Mode(o.RetentionMode), RetainUntil: o.RetainUntil}
	}
	out.LegalHold = &types.BoolValue{Value: o.LegalHold}
}
