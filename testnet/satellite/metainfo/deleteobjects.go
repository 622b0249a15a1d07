package metainfo

import (
	"bytes"
	"context"
	"sort"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"

	"testnet/satellite/store"
)

// deleteObjectsMaxItems is the most items one DeleteObjects request may name (the real
// satellite's limit).
const deleteObjectsMaxItems = 1000

// validateDeleteObjects applies the real satellite's request checks, with its status codes.
func validateDeleteObjects(req *pb.DeleteObjectsRequest) error {
	switch {
	case len(req.Bucket) == 0:
		return rpcstatus.Error(rpcstatus.BucketNameMissing, "A bucket name is required")
	case len(req.Bucket) < minBucketNameLength || len(req.Bucket) > maxBucketNameLength:
		return rpcstatus.Error(rpcstatus.BucketNameInvalid, "bucket name must be at least 3 and no more than 63 characters long")
	case len(req.Items) == 0:
		return rpcstatus.Error(rpcstatus.DeleteObjectsNoItems, "The list of objects must contain at least one item")
	case len(req.Items) > deleteObjectsMaxItems:
		return rpcstatus.Error(rpcstatus.DeleteObjectsTooManyItems, "The list of objects contains too many items")
	}
	for _, item := range req.Items {
		switch {
		case len(item.EncryptedObjectKey) == 0:
			return rpcstatus.Error(rpcstatus.ObjectKeyMissing, "An object key was not provided")
		case len(item.EncryptedObjectKey) > maxEncryptedObjectKeyLength:
			return rpcstatus.Error(rpcstatus.ObjectKeyTooLong, "A provided object key is too long")
		case len(item.ObjectVersion) != 0 && len(item.ObjectVersion) != versionIDSize:
			return rpcstatus.Error(rpcstatus.ObjectVersionInvalid, "A provided object version is invalid")
		}
	}
	return nil
}

// DeleteObjects deletes many keys (or key versions) of one bucket, each as BeginDeleteObject
// would, and answers one result per distinct item: OK, NOT_FOUND, LOCKED or UNAUTHORIZED (a key
// the API key may not delete). Quiet leaves the OK results out.
func (e *Endpoint) DeleteObjects(ctx context.Context, req *pb.DeleteObjectsRequest) (*pb.DeleteObjectsResponse, error) {
	if err := validateDeleteObjects(req); err != nil {
		return nil, err
	}
	key, err := e.admitKey(req.Header, true)
	if err != nil {
		return nil, err
	}
	items := uniqueDeleteItems(req.Items)
	resp := &pb.DeleteObjectsResponse{}
	result := func(item *pb.DeleteObjectsRequestItem, status pb.DeleteObjectsResponseItem_Status) *pb.DeleteObjectsResponseItem {
		return &pb.DeleteObjectsResponseItem{
			EncryptedObjectKey:     item.EncryptedObjectKey,
			RequestedObjectVersion: item.ObjectVersion,
			Status:                 status,
		}
	}
	// A key that may not even read the bucket learns nothing about it.
	if !e.allows(ctx, key, macaroon.ActionRead, string(req.Bucket), nil) {
		for _, item := range items {
			resp.Items = append(resp.Items, result(item, pb.DeleteObjectsResponseItem_UNAUTHORIZED))
		}
		return resp, nil
	}
	project := key.Record.ProjectID
	if _, err := e.getBucket(project, req.Bucket); err != nil {
		if rpcstatus.Code(err) == rpcstatus.NotFound {
			return nil, rpcstatus.Error(rpcstatus.BucketNotFound, "The specified bucket was not found")
		}
		return nil, err
	}
	allowed := map[string]bool{}
	for _, item := range items {
		k := string(item.EncryptedObjectKey)
		if _, seen := allowed[k]; !seen {
			ok := e.allows(ctx, key, macaroon.ActionDelete, string(req.Bucket), item.EncryptedObjectKey)
			if ok && req.BypassGovernanceRetention {
				ok = e.allows(ctx, key, macaroon.ActionBypassGovernanceRetention, string(req.Bucket), item.EncryptedObjectKey)
			}
			allowed[k] = ok
		}
	}
	err = e.db.Update(func(tx *store.Tx) error {
		for _, item := range items {
			if !allowed[string(item.EncryptedObjectKey)] {
				resp.Items = append(resp.Items, result(item, pb.DeleteObjectsResponseItem_UNAUTHORIZED))
				continue
			}
			done, err := e.deleteCommitted(tx, project, string(req.Bucket), item.EncryptedObjectKey, item.ObjectVersion, req.BypassGovernanceRetention)
			out := result(item, pb.DeleteObjectsResponseItem_OK)
			switch code := rpcstatus.Code(err); {
			case err == nil && done.removed == nil && done.marker == nil:
				out.Status = pb.DeleteObjectsResponseItem_NOT_FOUND
			case err == nil:
			case code == rpcstatus.NotFound:
				out.Status = pb.DeleteObjectsResponseItem_NOT_FOUND
			case code == rpcstatus.ObjectLockObjectProtected:
				out.Status = pb.DeleteObjectsResponseItem_LOCKED
			default:
				return err
			}
			if done.removed != nil {
				out.Removed = &pb.DeleteObjectsResponseItemInfo{ObjectVersion: versionID(done.removed), Status: objectStatus(done.removed)}
			}
			if done.marker != nil {
				out.Marker = &pb.DeleteObjectsResponseItemInfo{ObjectVersion: versionID(done.marker), Status: objectStatus(done.marker)}
			}
			if !(req.Quiet && out.Status == pb.DeleteObjectsResponseItem_OK) {
				resp.Items = append(resp.Items, out)
			}
		}
		return nil
	})
	if err != nil {
		return nil, asRPC(err)
	}
	return resp, nil
}

// uniqueDeleteItems sorts the items by key and version and drops repeats, as the real
// satellite does before deleting.
func uniqueDeleteItems(items []*pb.DeleteObjectsRequestItem) []*pb.DeleteObjectsRequestItem {
	sorted := append([]*pb.DeleteObjectsRequestItem(nil), items...)
	less := func(a, b *pb.DeleteObjectsRequestItem) int {
		if c := bytes.Compare(a.EncryptedObjectKey, b.EncryptedObjectKey); c != 0 {
			return c
		}
		return bytes.Compare(a.ObjectVersion, b.ObjectVersion)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return less(sorted[i], sorted[j]) < 0 })
	out := sorted[:0]
	for _, item := range sorted {
		if len(out) == 0 || less(out[len(out)-1], item) != 0 {
			out = append(out, item)
		}
	}
	return out
}
