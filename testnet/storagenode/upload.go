package storagenode

import (
	"bytes"
	"context"
	"errors"
	"hash"
	"io"
	"time"

	"storj.io/common/identity"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/signing"
)

// Upload receives one piece: the order limit first, then chunks with orders, then the uplink's
// signed piece hash. Nothing is kept unless the whole exchange succeeds.
func (n *Peer) Upload(stream pb.DRPCPiecestore_UploadStream) (err error) {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "receive first upload message: %v", err)
	}
	limit := first.Limit
	if err := n.verifyOrderLimit(ctx, limit, pb.PieceAction_PUT); err != nil {
		return err
	}
	algorithm := first.HashAlgorithm
	upload := &pieceUpload{
		node:      n,
		limit:     limit,
		algorithm: algorithm,
		orders:    orderTracker{limit: limit},
		hasher:    pb.NewHashFromAlgorithm(algorithm),
	}
	upload.piece, err = n.store.create()
	if err != nil {
		return rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	defer upload.piece.cancel() // a no-op once committed

	// The first message may already carry an order, a chunk or even Done.
	message := first
	for {
		done, err := upload.handle(ctx, message)
		if err != nil {
			return err
		}
		if done != nil {
			return stream.SendAndClose(&pb.PieceUploadResponse{
				Done: done,
				// lets the uplink verify our signature even without the TLS state
				NodeCertchain: identity.EncodePeerIdentity(n.ident.PeerIdentity()),
			})
		}
		message, err = stream.Recv()
		if errors.Is(err, io.EOF) {
			return rpcstatus.Error(rpcstatus.InvalidArgument, "upload ended before the piece hash")
		} else if err != nil {
			return rpcstatus.Errorf(rpcstatus.Canceled, "upload interrupted: %v", err)
		}
	}
}

// pieceUpload is the state of one Upload stream.
type pieceUpload struct {
	node      *Peer
	limit     *pb.OrderLimit
	algorithm pb.PieceHashAlgorithm
	orders    orderTracker
	hasher    hash.Hash
	piece     *pendingPiece
}

// handle processes one message in the order the protocol defines (order, chunk, done) and returns
// the node-signed hash once the piece is committed.
func (u *pieceUpload) handle(ctx context.Context, message *pb.PieceUploadRequest) (*pb.PieceHash, error) {
	if message.Order != nil {
		if err := u.orders.accept(ctx, message.Order); err != nil {
			return nil, err
		}
	}
	if message.Chunk != nil {
		if err := u.write(message.Chunk); err != nil {
			return nil, err
		}
	}
	if message.Done != nil {
		return u.commit(ctx, message.Done)
	}
	return nil, nil
}

func (u *pieceUpload) write(chunk *pb.PieceUploadRequest_Chunk) error {
	if chunk.Offset != u.piece.written {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "chunk offset %d, expected %d", chunk.Offset, u.piece.written)
	}
	end := u.piece.written + int64(len(chunk.Data))
	if end > u.orders.allocated {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "chunk ends at %d, beyond the ordered %d bytes", end, u.orders.allocated)
	}
	if _, err := u.piece.Write(chunk.Data); err != nil {
		return rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	_, _ = u.hasher.Write(chunk.Data) // hashes never fail
	return nil
}

func (u *pieceUpload) commit(ctx context.Context, uplinkHash *pb.PieceHash) (*pb.PieceHash, error) {
	sum := u.hasher.Sum(nil)
	switch {
	case uplinkHash.PieceId != u.limit.PieceId:
		return nil, rpcstatus.Error(rpcstatus.InvalidArgument, "piece hash is for another piece")
	case uplinkHash.HashAlgorithm != u.algorithm:
		return nil, rpcstatus.Errorf(rpcstatus.InvalidArgument, "piece hash algorithm %v, upload started with %v", uplinkHash.HashAlgorithm, u.algorithm)
	case uplinkHash.PieceSize != u.piece.written:
		return nil, rpcstatus.Errorf(rpcstatus.InvalidArgument, "piece size %d, received %d bytes", uplinkHash.PieceSize, u.piece.written)
	case !bytes.Equal(uplinkHash.Hash, sum):
		return nil, rpcstatus.Error(rpcstatus.InvalidArgument, "piece hash does not match the received data")
	}
	if err := signing.VerifyUplinkPieceHashSignature(ctx, u.limit.UplinkPublicKey, uplinkHash); err != nil {
		return nil, rpcstatus.Errorf(rpcstatus.Unauthenticated, "piece hash signature: %v", err)
	}

	encodedLimit, err := pb.Marshal(u.limit)
	if err != nil {
		return nil, rpcstatus.Errorf(rpcstatus.Internal, "encode order limit: %v", err)
	}
	encodedHash, err := pb.Marshal(uplinkHash)
	if err != nil {
		return nil, rpcstatus.Errorf(rpcstatus.Internal, "encode piece hash: %v", err)
	}
	now := time.Now()
	header := &pieceHeader{
		Hash:          sum,
		HashAlgorithm: u.algorithm,
		OrderLimit:    encodedLimit,
		UplinkHash:    encodedHash,
		CreatedAt:     now,
		ExpiresAt:     u.limit.PieceExpiration,
	}
	// A client that gave up while we were finishing must not leave a piece behind.
	if err := ctx.Err(); err != nil {
		return nil, rpcstatus.Error(rpcstatus.Canceled, "upload cancelled")
	}
	if err := u.piece.commit(u.limit.SatelliteId, u.limit.PieceId, header); err != nil {
		return nil, rpcstatus.Error(rpcstatus.Internal, err.Error())
	}

	signed, err := signing.SignPieceHash(ctx, u.node.signer, &pb.PieceHash{
		PieceId:       u.limit.PieceId,
		Hash:          sum,
		PieceSize:     u.piece.written,
		Timestamp:     now,
		HashAlgorithm: u.algorithm,
	})
	if err != nil {
		return nil, rpcstatus.Errorf(rpcstatus.Internal, "sign piece hash: %v", err)
	}
	return signed, nil
}
