package metainfo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"storj.io/common/pb"
	"storj.io/common/signing"
	"storj.io/common/storj"

	"testnet/satellite/store"
)

// orderExpiration is how long issued order limits stay valid.
const orderExpiration = 48 * time.Hour

// limitRequest describes the order limits of one segment upload or download.
type limitRequest struct {
	action          pb.PieceAction
	root            storj.PieceID
	pieces          []store.Piece
	publicKey       storj.PiecePublicKey
	limit           int64
	pieceExpiration time.Time
	// slots is the length of the returned array (index = piece number); downloads need RS total.
	slots int
}

// signLimits creates one signed order limit per piece, sharing one serial number.
func (e *Endpoint) signLimits(ctx context.Context, req limitRequest) ([]*pb.AddressedOrderLimit, error) {
	var serial storj.SerialNumber
	now := e.now()
	for i := range serial {
		serial[i] = byte(rand.IntN(256))
	}
	out := make([]*pb.AddressedOrderLimit, req.slots)
	for i := range out {
		out[i] = &pb.AddressedOrderLimit{}
	}
	for _, piece := range req.pieces {
		address, ok := e.nodes.Address(piece.Node)
		if !ok || int(piece.Num) >= req.slots {
			continue
		}
		limit, err := signing.SignOrderLimit(ctx, e.signer, &pb.OrderLimit{
			SerialNumber:    serial,
			SatelliteId:     e.ident.ID,
			UplinkPublicKey: req.publicKey,
			StorageNodeId:   piece.Node,
			PieceId:         req.root.Derive(piece.Node, piece.Num),
			Limit:           req.limit,
			Action:          req.action,
			PieceExpiration: req.pieceExpiration,
			OrderCreation:   now,
			OrderExpiration: now.Add(orderExpiration),
		})
		if err != nil {
			return nil, fmt.Errorf("sign order limit: %w", err)
		}
		out[piece.Num] = &pb.AddressedOrderLimit{Limit: limit, StorageNodeAddress: &pb.NodeAddress{Address: address}}
	}
	return out, nil
}

func rsToProto(rs storj.RedundancyScheme) *pb.RedundancyScheme {
	return &pb.RedundancyScheme{
		Type:             pb.RedundancyScheme_RS,
		MinReq:           int32(rs.RequiredShares),
		RepairThreshold:  int32(rs.RepairShares),
		SuccessThreshold: int32(rs.OptimalShares),
		Total:            int32(rs.TotalShares),
		ErasureShareSize: rs.ShareSize,
	}
}
