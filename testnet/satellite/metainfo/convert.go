package metainfo

import (
	"storj.io/common/pb"
	"storj.io/common/storj"

	"testnet/satellite/store"
)

func (e *Endpoint) encryption(o *store.Object) *pb.EncryptionParameters {
	return &pb.EncryptionParameters{CipherSuite: pb.CipherSuite(o.CipherSuite), BlockSize: o.BlockSize}
}

// augmentedMetadata returns the object's stream metadata with the fields the client needs filled
// from stored columns (cipher, block size, segment count, metadata key): the uploader sends only
// the encrypted stream info.
func augmentedMetadata(o *store.Object) []byte {
	if len(o.EncryptedMetadata) == 0 {
		return nil
	}
	var meta pb.StreamMeta
	if err := pb.Unmarshal(o.EncryptedMetadata, &meta); err != nil {
		return o.EncryptedMetadata
	}
	if meta.EncryptionType == 0 {
		meta.EncryptionType = o.CipherSuite
	}
	if meta.EncryptionBlockSize == 0 {
		meta.EncryptionBlockSize = int32(o.BlockSize)
	}
	if meta.NumberOfSegments == 0 {
		meta.NumberOfSegments = max(int64(o.SegmentCount), 1)
	}
	if meta.LastSegmentMeta == nil {
		meta.LastSegmentMeta = &pb.SegmentMeta{EncryptedKey: o.EncryptedMetadataKey, KeyNonce: o.EncryptedMetadataNonce}
	}
	data, err := pb.Marshal(&meta)
	if err != nil {
		return o.EncryptedMetadata
	}
	return data
}

func toNonce(b []byte) pb.Nonce {
	var n storj.Nonce
	copy(n[:], b)
	return n
}

func (e *Endpoint) objectToProto(o *store.Object) *pb.Object {
	out := &pb.Object{
		Bucket:               []byte(o.Bucket),
		EncryptedObjectKey:   o.Key,
		Status:               objectStatus(o),
		StreamId:             e.ids.encodeStream(o.StreamID),
		CreatedAt:            o.CreatedAt,
		StatusAt:             o.CreatedAt,
		ExpiresAt:            o.ExpiresAt,
		FixedSegmentSize:     o.FixedSegmentSize,
		RedundancyScheme:     rsToProto(e.rs),
		EncryptionParameters: e.encryption(o),
		TotalSize:            o.TotalEncSize,
		PlainSize:            o.TotalPlainSize,
	}
	if len(o.EncryptedMetadata) > 0 {
		out.EncryptedMetadata = augmentedMetadata(o)
		out.EncryptedMetadataEncryptedKey = o.EncryptedMetadataKey
		out.EncryptedMetadataNonce = toNonce(o.EncryptedMetadataNonce)
		out.EncryptedEtag = o.EncryptedETag
	}
	addVersionFields(out, o)
	return out
}

// listItem converts an object for listings; key is relative to the listed prefix.
func (e *Endpoint) listItem(o *store.Object, key []byte, includes *pb.ObjectListItemIncludes) *pb.ObjectListItem {
	item := &pb.ObjectListItem{
		EncryptedObjectKey: key,
		Status:             objectStatus(o),
		IsLatest:           true,
	}
	if !o.Pending {
		item.ObjectVersion = versionID(o)
	}
	system := includes == nil || !includes.ExcludeSystemMetadata
	custom := includes == nil || includes.Metadata || includes.IncludeEtagOrCustomMetadata
	if o.Pending {
		item.Status = pb.Object_UPLOADING
		system = true
		sid := pb.StreamID(e.ids.encodeStream(o.StreamID))
		item.StreamId = &sid
	}
	if system {
		item.CreatedAt = o.CreatedAt
		item.StatusAt = o.CreatedAt
		item.ExpiresAt = o.ExpiresAt
		item.PlainSize = o.TotalPlainSize
	}
	if custom && len(o.EncryptedMetadata) > 0 {
		item.EncryptedMetadata = augmentedMetadata(o)
		item.EncryptedMetadataEncryptedKey = o.EncryptedMetadataKey
		item.EncryptedMetadataNonce = toNonce(o.EncryptedMetadataNonce)
	}
	if includes != nil && (includes.IncludeEtag || includes.IncludeEtagOrCustomMetadata) && len(o.EncryptedETag) > 0 {
		item.EncryptedEtag = o.EncryptedETag
		item.EncryptedMetadataEncryptedKey = o.EncryptedMetadataKey
		item.EncryptedMetadataNonce = toNonce(o.EncryptedMetadataNonce)
	}
	return item
}
