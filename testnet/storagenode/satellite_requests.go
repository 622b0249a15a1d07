package storagenode

import (
	"context"
	"errors"
	"time"

	"storj.io/common/bloomfilter"
	"storj.io/common/identity"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"
	"storj.io/uplink/private/piecestore"
)

// requireTrustedSatellite refuses requests that do not come over a connection authenticated as
// the trusted satellite: only it may delete pieces.
func (n *Peer) requireTrustedSatellite(ctx context.Context) error {
	caller, err := identity.PeerIdentityFromContext(ctx)
	if err != nil {
		return rpcstatus.Errorf(rpcstatus.Unauthenticated, "unknown caller: %v", err)
	}
	if caller.ID != n.satellite.ID {
		return rpcstatus.Errorf(rpcstatus.PermissionDenied, "%s is not the trusted satellite", caller.ID)
	}
	return nil
}

// DeletePieces deletes the listed pieces of the trusted satellite; missing pieces are ignored.
func (n *Peer) DeletePieces(ctx context.Context, req *pb.DeletePiecesRequest) (*pb.DeletePiecesResponse, error) {
	if err := n.requireTrustedSatellite(ctx); err != nil {
		return nil, err
	}
	var failed int64
	for _, piece := range req.PieceIds {
		if err := n.store.delete(n.satellite.ID, piece); err != nil {
			failed++
		}
	}
	return &pb.DeletePiecesResponse{UnhandledCount: failed}, nil
}

// Retain is garbage collection: pieces created before the filter's creation date and absent from
// the bloom filter are deleted.
func (n *Peer) Retain(ctx context.Context, req *pb.RetainRequest) (*pb.RetainResponse, error) {
	if err := n.requireTrustedSatellite(ctx); err != nil {
		return nil, err
	}
	if err := n.retain(req); err != nil {
		return nil, err
	}
	return &pb.RetainResponse{}, nil
}

// RetainBig is Retain with the filter split over several messages.
func (n *Peer) RetainBig(stream pb.DRPCPiecestore_RetainBigStream) error {
	if err := n.requireTrustedSatellite(stream.Context()); err != nil {
		return err
	}
	req, err := piecestore.RetainRequestFromStream(stream)
	if err != nil {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "receive retain filter: %v", err)
	}
	if err := n.retain(&req); err != nil {
		return err
	}
	return stream.SendAndClose(&pb.RetainResponse{})
}

func (n *Peer) retain(req *pb.RetainRequest) error {
	filter, err := bloomfilter.NewFromBytes(req.Filter)
	if err != nil {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "bad bloom filter: %v", err)
	}
	now := time.Now()
	err = n.store.walk(n.satellite.ID, func(piece storj.PieceID, header *pieceHeader) error {
		keep := !header.expired(now) && (!header.CreatedAt.Before(req.CreationDate) || filter.Contains(piece))
		if keep {
			return nil
		}
		return n.store.delete(n.satellite.ID, piece)
	})
	if err != nil {
		return rpcstatus.Errorf(rpcstatus.Internal, "retain: %v", err)
	}
	return nil
}

// Exists reports which of the listed pieces of the calling satellite are missing.
func (n *Peer) Exists(ctx context.Context, req *pb.ExistsRequest) (*pb.ExistsResponse, error) {
	if err := n.requireTrustedSatellite(ctx); err != nil {
		return nil, err
	}
	resp := &pb.ExistsResponse{}
	for i, piece := range req.PieceIds {
		stored, err := n.store.open(n.satellite.ID, piece, time.Now())
		if errors.Is(err, errPieceNotFound) {
			resp.Missing = append(resp.Missing, uint32(i))
			continue
		} else if err != nil {
			return nil, rpcstatus.Error(rpcstatus.Internal, err.Error())
		}
		_ = stored.Close()
	}
	return resp, nil
}
