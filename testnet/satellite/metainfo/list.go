package metainfo

import (
	"bytes"
	"context"

	"storj.io/common/macaroon"
	"storj.io/common/pb"

	"testnet/satellite/store"
)

// ListObjects lists committed objects (or pending ones for status UPLOADING) under a prefix, in
// byte order of encrypted keys, relative to the prefix, collapsing sub-prefixes unless recursive.
func (e *Endpoint) ListObjects(ctx context.Context, req *pb.ListObjectsRequest) (*pb.ListObjectsResponse, error) {
	key, _, err := e.authorizedBucket(ctx, req.Header, req.Bucket, action(macaroon.ActionList, req.Bucket, req.EncryptedPrefix))
	if err != nil {
		return nil, err
	}
	delimiter := req.Delimiter
	if len(delimiter) == 0 {
		delimiter = []byte("/")
	}
	prefix := req.EncryptedPrefix
	if len(prefix) > 0 && !req.ArbitraryPrefix && !bytes.HasSuffix(prefix, delimiter) {
		prefix = append(append([]byte{}, prefix...), delimiter...)
	}
	if req.Limit < 0 {
		return nil, errInvalid("limit is negative")
	}
	limit := listLimit(req.Limit)
	pending := req.Status == pb.Object_UPLOADING
	includes := req.ObjectIncludes
	if !req.UseObjectIncludes {
		includes = &pb.ObjectListItemIncludes{Metadata: true}
	}
	if req.IncludeAllVersions {
		return e.listObjectVersions(req, key.Record.ProjectID, prefix, delimiter, limit, includes)
	}
	cursor := req.EncryptedCursor
	base := append(store.ObjectPrefix(key.Record.ProjectID, string(req.Bucket)), prefix...)
	from := append(append([]byte{}, base...), cursor...)
	now := e.now()

	resp := &pb.ListObjectsResponse{}
	var lastPrefix []byte
	err = e.db.View(func(tx *store.Tx) error {
		return tx.Objects(pending, base, from, func(o *store.Object) (bool, error) {
			if !pending && expired(o, now) {
				return true, nil
			}
			rel := o.Key[len(prefix):]
			if len(cursor) > 0 && bytes.Compare(rel, cursor) <= 0 && !pending {
				return true, nil
			}
			var item *pb.ObjectListItem
			if i := bytes.Index(rel, delimiter); !req.Recursive && i >= 0 {
				collapsed := rel[:i+len(delimiter)]
				if bytes.Equal(collapsed, lastPrefix) || (len(cursor) > 0 && bytes.Compare(collapsed, cursor) <= 0) {
					return true, nil
				}
				lastPrefix = collapsed
				item = &pb.ObjectListItem{EncryptedObjectKey: collapsed, Status: pb.Object_PREFIX}
			} else {
				if pending && len(cursor) > 0 && bytes.Compare(rel, cursor) <= 0 {
					return true, nil
				}
				item = e.listItem(o, rel, includes)
			}
			if len(resp.Items) == limit {
				resp.More = true
				return false, nil
			}
			resp.Items = append(resp.Items, item)
			return true, nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return resp, nil
}
