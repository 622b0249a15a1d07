package metainfo

import (
	"context"
	"time"

	"storj.io/common/encryption"
	"storj.io/common/macaroon"
	"storj.io/common/memory"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"

	"testnet/satellite/store"
)

// maxEncryptedSegmentSize is the largest encrypted segment a client with the default encryption
// (AES-GCM, 7424-byte blocks) produces from a 64 MiB segment.
func maxEncryptedSegmentSize() int64 {
	size, err := encryption.CalcEncryptedSize(maxSegmentSize.Int64(),
		storj.EncryptionParameters{CipherSuite: storj.EncAESGCM, BlockSize: 29 * 256})
	if err != nil {
		return maxSegmentSize.Int64() * 2
	}
	return size
}

// BeginSegment chooses nodes for a remote segment and returns signed PUT order limits.
func (e *Endpoint) BeginSegment(ctx context.Context, req *pb.BeginSegmentRequest) (*pb.BeginSegmentResponse, error) {
	obj, err := e.pendingObject(ctx, req.Header, req.StreamId)
	if err != nil {
		return nil, err
	}
	if err := refuseTrustedOnly(req.LiteRequest, false); err != nil {
		return nil, err
	}
	if req.Position, err = segmentPosition(req.Position); err != nil {
		return nil, err
	}
	maxOrder := req.MaxOrderLimit
	if maxOrder <= 0 || maxOrder > maxEncryptedSegmentSize() {
		maxOrder = maxEncryptedSegmentSize()
	}
	nodes := e.nodes.Select(int(e.rs.TotalShares), nil)
	if len(nodes) < int(e.rs.OptimalShares) {
		return nil, rpcstatus.Errorf(rpcstatus.FailedPrecondition, "not enough nodes: have %d, need %d", len(nodes), e.rs.OptimalShares)
	}
	pieces := make([]store.Piece, len(nodes))
	for i, n := range nodes {
		pieces[i] = store.Piece{Num: int32(i), Node: n.ID}
	}
	public, private, err := storj.NewPieceKey()
	if err != nil {
		return nil, errInternal(err)
	}
	id := &segmentID{
		Stream:      obj.StreamID,
		Part:        req.Position.PartNumber,
		Index:       req.Position.Index,
		RootPieceID: storj.NewPieceID(),
		Pieces:      pieces,
		PublicKey:   public.Bytes(),
		CreatedAt:   e.now(),
	}
	encoded, limits, err := e.issueSegment(ctx, obj, id, public, maxOrder, id.CreatedAt)
	if err != nil {
		return nil, err
	}
	return &pb.BeginSegmentResponse{
		SegmentId:        encoded,
		AddressedLimits:  limits,
		PrivateKey:       private,
		RedundancyScheme: rsToProto(e.rs),
	}, nil
}

// RetryBeginSegmentPieces moves the given piece numbers of a begun segment to unused nodes and
// returns the complete, re-signed limits array.
func (e *Endpoint) RetryBeginSegmentPieces(ctx context.Context, req *pb.RetryBeginSegmentPiecesRequest) (*pb.RetryBeginSegmentPiecesResponse, error) {
	id, obj, err := e.segmentOfRequest(ctx, req.Header, req.SegmentId)
	if err != nil {
		return nil, err
	}
	used := map[storj.NodeID]bool{}
	for _, p := range id.Pieces {
		used[p.Node] = true
	}
	replacements := e.nodes.Select(len(req.RetryPieceNumbers), used)
	if len(replacements) < len(req.RetryPieceNumbers) {
		return nil, rpcstatus.Error(rpcstatus.FailedPrecondition, "not enough nodes to retry the segment pieces")
	}
	for i, num := range req.RetryPieceNumbers {
		if num < 0 || int(num) >= len(id.Pieces) {
			return nil, errInvalid("piece number %d out of range", num)
		}
		id.Pieces[num].Node = replacements[i].ID
	}
	public, err := storj.PiecePublicKeyFromBytes(id.PublicKey)
	if err != nil {
		return nil, errInternal(err)
	}
	encoded, limits, err := e.issueSegment(ctx, obj, id, public, maxEncryptedSegmentSize(), e.now())
	if err != nil {
		return nil, err
	}
	return &pb.RetryBeginSegmentPiecesResponse{SegmentId: encoded, AddressedLimits: limits}, nil
}

// issueSegment signs the PUT order limits of a begun segment's pieces (each for its share of
// maxOrder encrypted bytes), encodes the segment ID and records the segment as in flight since
// the time given, within the project's upload limits.
func (e *Endpoint) issueSegment(ctx context.Context, obj *store.Object, id *segmentID, public storj.PiecePublicKey, maxOrder int64, since time.Time) ([]byte, []*pb.AddressedOrderLimit, error) {
	limits, err := e.signLimits(ctx, limitRequest{
		action: pb.PieceAction_PUT, root: id.RootPieceID, pieces: id.Pieces, publicKey: public,
		limit: e.rs.PieceSize(maxOrder), pieceExpiration: obj.ExpiresAt, slots: len(id.Pieces),
	})
	if err != nil {
		return nil, nil, errInternal(err)
	}
	encoded, err := e.ids.encodeSegment(id)
	if err != nil {
		return nil, nil, errInternal(err)
	}
	err = e.db.Update(func(tx *store.Tx) error {
		if err := checkUpload(tx, obj.ProjectID, uploadHeadroom); err != nil {
			return err
		}
		return tx.PutInflight(&store.Inflight{
			StreamID: obj.StreamID, Position: store.Position(id.Part, id.Index),
			RootPieceID: id.RootPieceID, Pieces: id.Pieces, CreatedAt: since,
		})
	})
	if err != nil {
		return nil, nil, asRPC(err)
	}
	return encoded, limits, nil
}

// segmentOfRequest decodes a begun segment's ID and finds the pending object it belongs to,
// checking write access.
func (e *Endpoint) segmentOfRequest(ctx context.Context, header *pb.RequestHeader, encoded []byte) (*segmentID, *store.Object, error) {
	id, err := e.ids.decodeSegment(encoded)
	if err != nil {
		return nil, nil, err
	}
	obj, err := e.pendingObject(ctx, header, e.ids.encodeStream(id.Stream))
	if err != nil {
		return nil, nil, err
	}
	return id, obj, nil
}

// pendingObject is the object being uploaded under streamID, if the caller may write to it:
// segments are only added to uploads in progress.
func (e *Endpoint) pendingObject(ctx context.Context, header *pb.RequestHeader, streamID []byte) (*store.Object, error) {
	_, obj, err := e.streamObject(ctx, header, streamID, macaroon.ActionWrite)
	if err != nil {
		return nil, err
	}
	if !obj.Pending {
		return nil, errObjectNotFound()
	}
	return obj, nil
}

// segmentPosition is a request's segment position, absent meaning the first; negatives are refused.
func segmentPosition(position *pb.SegmentPosition) (*pb.SegmentPosition, error) {
	if position == nil {
		return &pb.SegmentPosition{}, nil
	}
	if position.PartNumber < 0 || position.Index < 0 {
		return nil, errInvalid("segment position is invalid")
	}
	return position, nil
}

// CommitSegment records the pieces that reached the nodes (at least the optimal count).
func (e *Endpoint) CommitSegment(ctx context.Context, req *pb.CommitSegmentRequest) (*pb.CommitSegmentResponse, error) {
	id, obj, err := e.segmentOfRequest(ctx, req.Header, req.SegmentId)
	if err != nil {
		return nil, err
	}
	if req.PlainSize > maxSegmentSize.Int64() {
		return nil, errInvalid("segment size is too big, got %v, maximum allowed is %v", memory.Size(req.PlainSize), maxSegmentSize)
	}
	if len(req.UploadResult) < int(e.rs.OptimalShares) {
		return nil, errInvalid("number of pieces is less than the success threshold: got %d, need %d", len(req.UploadResult), e.rs.OptimalShares)
	}
	issued := map[int32]storj.NodeID{}
	for _, p := range id.Pieces {
		issued[p.Num] = p.Node
	}
	var pieces []store.Piece
	seen := map[int32]bool{}
	for _, result := range req.UploadResult {
		node, ok := issued[result.PieceNum]
		if !ok || node != result.NodeId || seen[result.PieceNum] {
			return nil, errInvalid("piece %d was not issued to node %s", result.PieceNum, result.NodeId)
		}
		if result.Hash == nil || result.Hash.PieceId != id.RootPieceID.Derive(node, result.PieceNum) {
			return nil, errInvalid("piece %d has no valid piece hash", result.PieceNum)
		}
		seen[result.PieceNum] = true
		pieces = append(pieces, store.Piece{Num: result.PieceNum, Node: node})
	}
	segment := &store.Segment{
		StreamID: obj.StreamID, Part: id.Part, Index: id.Index,
		RootPieceID: id.RootPieceID, RS: e.rs, Pieces: pieces,
		EncryptedKey: req.EncryptedKey, EncryptedKeyNonce: req.EncryptedKeyNonce[:],
		EncryptedSize: req.SizeEncryptedData, PlainSize: req.PlainSize, EncryptedETag: req.EncryptedETag,
		CreatedAt: e.now(), ExpiresAt: obj.ExpiresAt,
	}
	return &pb.CommitSegmentResponse{}, e.putSegment(segment, &store.Inflight{
		StreamID: obj.StreamID, Position: segment.Position(), RootPieceID: id.RootPieceID,
	})
}

// putSegment stores a segment of a pending object, replacing one at the same position, if the
// project is still under its limits, and adds it to the project's usage.
func (e *Endpoint) putSegment(segment *store.Segment, inflight *store.Inflight) error {
	err := e.db.Update(func(tx *store.Tx) error {
		obj, err := tx.ObjectByStream(segment.StreamID)
		if err != nil || !obj.Pending {
			return errObjectNotFound()
		}
		if err := checkUpload(tx, obj.ProjectID, uploadHeadroom); err != nil {
			return err
		}
		if inflight != nil {
			if err := tx.DeleteInflight(inflight); err != nil {
				return err
			}
		}
		if err := tx.PutSegment(segment); err != nil {
			return err
		}
		// a replaced segment keeps counting until the next accounting pass, as in production
		return addUsage(tx, obj.ProjectID, store.Usage{StorageBytes: segment.EncryptedSize, Segments: 1})
	})
	return asRPC(err)
}

// MakeInlineSegment stores a small segment's encrypted data in the satellite itself.
func (e *Endpoint) MakeInlineSegment(ctx context.Context, req *pb.MakeInlineSegmentRequest) (*pb.MakeInlineSegmentResponse, error) {
	obj, err := e.pendingObject(ctx, req.Header, req.StreamId)
	if err != nil {
		return nil, err
	}
	if req.Position, err = segmentPosition(req.Position); err != nil {
		return nil, err
	}
	if len(req.EncryptedInlineData) > maxInlineSegmentSize {
		return nil, errInvalid("inline segment size cannot be larger than %s", memory.Size(maxInlineSegmentSize))
	}
	segment := &store.Segment{
		StreamID: obj.StreamID, Part: req.Position.PartNumber, Index: req.Position.Index,
		EncryptedKey: req.EncryptedKey, EncryptedKeyNonce: req.EncryptedKeyNonce[:],
		EncryptedSize: int64(len(req.EncryptedInlineData)), PlainSize: req.PlainSize,
		EncryptedETag: req.EncryptedETag, InlineData: req.EncryptedInlineData,
		CreatedAt: e.now(), ExpiresAt: obj.ExpiresAt,
	}
	if err := e.putSegment(segment, nil); err != nil {
		return nil, err
	}
	return &pb.MakeInlineSegmentResponse{}, nil
}
