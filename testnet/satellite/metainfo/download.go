package metainfo

import (
	"context"
	"errors"
	"sort"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/storj"
	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// DownloadObject returns the object, its segment list and the download of the first segment in
// the requested range.
func (e *Endpoint) DownloadObject(ctx context.Context, req *pb.DownloadObjectRequest) (*pb.DownloadObjectResponse, error) {
	key, err := e.authorize(ctx, req.Header, action(macaroon.ActionRead, req.Bucket, req.EncryptedObjectKey))
	if err != nil {
		return nil, err
	}
	if err := refuseTrustedOnly(req.LiteRequest, req.ServerSideCopy); err != nil {
		return nil, err
	}
	obj, err := e.readableVersion(key.Record.ProjectID, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion)
	if err != nil {
		return nil, err
	}
	segments, err := e.segments(obj.StreamID)
	if err != nil {
		return nil, err
	}
	start, end, err := plainRange(req.Range, obj.TotalPlainSize)
	if err != nil {
		return nil, err
	}
	if req.Limit < 0 {
		return nil, errInvalid("metabase: invalid request: Invalid limit: %d", req.Limit)
	}
	// The segment list holds every segment (a client downloading a range skips the others), at
	// most Limit of them when the request sets one.
	list := &pb.ListSegmentsResponse{EncryptionParameters: e.encryption(obj)}
	var first *store.Segment
	for _, s := range segments {
		if req.Limit > 0 && len(list.Items) == int(req.Limit) {
			list.More = true
		} else {
			list.Items = append(list.Items, segmentListItem(s))
		}
		inRange := s.PlainOffset < end && s.PlainOffset+s.PlainSize > start
		if first == nil && (inRange || (s.PlainSize == 0 && start == 0)) {
			first = s
		}
	}
	resp := &pb.DownloadObjectResponse{Object: e.objectToProto(obj), SegmentList: list}
	if first != nil {
		download, err := e.downloadSegment(ctx, obj, first)
		if err != nil {
			return nil, err
		}
		resp.SegmentDownload = []*pb.DownloadSegmentResponse{download}
	}
	return resp, nil
}

// plainRange turns a requested range into [start, end) plain offsets. As on the real satellite, a
// range that ends before it starts (which is what a start past the object's end becomes) is
// refused; the rest is clamped to the object.
func plainRange(r *pb.Range, size int64) (start, end int64, err error) {
	start, end = 0, size
	if r == nil {
		return start, end, nil
	}
	switch v := r.Range.(type) {
	case *pb.Range_StartLimit:
		if v.StartLimit == nil {
			return 0, 0, errInvalid("StartEnd missing for Range_StartEnd")
		}
		start, end = v.StartLimit.PlainStart, v.StartLimit.PlainLimit
	case *pb.Range_Start:
		if v.Start == nil {
			return 0, 0, errInvalid("Start missing for Range_Start")
		}
		start = v.Start.PlainStart
	case *pb.Range_Suffix:
		if v.Suffix == nil {
			return 0, 0, errInvalid("Suffix missing for Range_Suffix")
		}
		start = size - v.Suffix.PlainSuffix
	}
	if start > end {
		return 0, 0, errInvalid("metabase: invalid request: invalid range: %d:%d", start, end)
	}
	return max(start, 0), min(end, size), nil
}

func (e *Endpoint) segments(stream uuid.UUID) ([]*store.Segment, error) {
	var segments []*store.Segment
	err := e.db.View(func(tx *store.Tx) (err error) {
		segments, err = tx.Segments(stream)
		return err
	})
	if err != nil {
		return nil, errInternal(err)
	}
	sort.Slice(segments, func(i, j int) bool { return segments[i].Position() < segments[j].Position() })
	return segments, nil
}

func segmentListItem(s *store.Segment) *pb.SegmentListItem {
	return &pb.SegmentListItem{
		Position:          &pb.SegmentPosition{PartNumber: s.Part, Index: s.Index},
		PlainSize:         s.PlainSize,
		PlainOffset:       s.PlainOffset,
		CreatedAt:         s.CreatedAt,
		EncryptedETag:     s.EncryptedETag,
		EncryptedKeyNonce: toNonce(s.EncryptedKeyNonce),
		EncryptedKey:      s.EncryptedKey,
	}
}

// downloadSegment charges bandwidth and returns inline data or GET limits for every piece.
func (e *Endpoint) downloadSegment(ctx context.Context, obj *store.Object, s *store.Segment) (*pb.DownloadSegmentResponse, error) {
	err := e.db.Update(func(tx *store.Tx) error { return chargeDownload(tx, obj.ProjectID, s.EncryptedSize, e.now()) })
	if err != nil {
		return nil, asRPC(err)
	}
	resp := &pb.DownloadSegmentResponse{
		PlainOffset:       s.PlainOffset,
		PlainSize:         s.PlainSize,
		SegmentSize:       s.EncryptedSize,
		EncryptedKeyNonce: toNonce(s.EncryptedKeyNonce),
		EncryptedKey:      s.EncryptedKey,
		Position:          &pb.SegmentPosition{PartNumber: s.Part, Index: s.Index},
	}
	if len(s.Pieces) == 0 {
		resp.EncryptedInlineData = s.InlineData
		return resp, nil
	}
	public, private, err := storj.NewPieceKey()
	if err != nil {
		return nil, errInternal(err)
	}
	limits, err := e.signLimits(ctx, limitRequest{
		action: pb.PieceAction_GET, root: s.RootPieceID, pieces: s.Pieces, publicKey: public,
		limit: s.RS.PieceSize(s.EncryptedSize), slots: int(s.RS.TotalShares),
	})
	if err != nil {
		return nil, errInternal(err)
	}
	resp.AddressedLimits = limits
	resp.PrivateKey = private
	resp.RedundancyScheme = rsToProto(s.RS)
	return resp, nil
}

// DownloadSegment returns the download of one segment of a committed object.
func (e *Endpoint) DownloadSegment(ctx context.Context, req *pb.DownloadSegmentRequest) (*pb.DownloadSegmentResponse, error) {
	_, obj, err := e.streamObject(ctx, req.Header, req.StreamId, macaroon.ActionRead)
	if err != nil {
		return nil, err
	}
	if err := refuseTrustedOnly(false, req.ServerSideCopy); err != nil {
		return nil, err
	}
	if obj.Pending || expired(obj, e.now()) {
		return nil, errObjectNotFound()
	}
	position := req.CursorPosition
	if position == nil {
		position = &pb.SegmentPosition{}
	}
	var segment *store.Segment
	err = e.db.View(func(tx *store.Tx) (err error) {
		segment, err = tx.Segment(obj.StreamID, store.Position(position.PartNumber, position.Index))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errObjectNotFound()
	}
	if err != nil {
		return nil, errInternal(err)
	}
	return e.downloadSegment(ctx, obj, segment)
}

// ListSegments lists a stream's segments strictly after the cursor (from the start for {0,0}).
func (e *Endpoint) ListSegments(ctx context.Context, req *pb.ListSegmentsRequest) (*pb.ListSegmentsResponse, error) {
	_, obj, err := e.streamObject(ctx, req.Header, req.StreamId, macaroon.ActionRead)
	if err != nil {
		return nil, err
	}
	segments, err := e.segments(obj.StreamID)
	if err != nil {
		return nil, err
	}
	var cursor uint64
	if req.CursorPosition != nil {
		cursor = store.Position(req.CursorPosition.PartNumber, req.CursorPosition.Index)
	}
	limit := listLimit(req.Limit)
	// A range (what a download asks for) keeps the segments that overlap it, as the real satellite.
	start, end := int64(0), obj.TotalPlainSize
	if req.Range != nil {
		if start, end, err = plainRange(req.Range, obj.TotalPlainSize); err != nil {
			return nil, err
		}
	}
	resp := &pb.ListSegmentsResponse{EncryptionParameters: e.encryption(obj)}
	for _, s := range segments {
		if cursor != 0 && s.Position() <= cursor {
			continue
		}
		if req.Range != nil && !(start < s.PlainOffset+s.PlainSize && s.PlainOffset < end) {
			continue
		}
		if len(resp.Items) == limit {
			resp.More = true
			break
		}
		resp.Items = append(resp.Items, segmentListItem(s))
	}
	return resp, nil
}
