package storagenode

import (
	"context"
	"time"

	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/signing"
)

// verifyOrderLimit checks that limit was signed by the trusted satellite for this node, is still
// valid, grants one of the allowed actions and was not used before; it then marks it used.
func (n *Peer) verifyOrderLimit(ctx context.Context, limit *pb.OrderLimit, allowed ...pb.PieceAction) error {
	if limit == nil {
		return rpcstatus.Error(rpcstatus.InvalidArgument, "missing order limit")
	}
	actionOK := false
	for _, action := range allowed {
		actionOK = actionOK || limit.Action == action
	}
	if !actionOK {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order limit action %v not allowed here", limit.Action)
	}
	now := time.Now()
	switch {
	case limit.Limit < 0:
		return rpcstatus.Error(rpcstatus.InvalidArgument, "order limit is negative")
	case limit.StorageNodeId != n.ident.ID:
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order limit is for node %s, not this one", limit.StorageNodeId)
	case limit.SatelliteId != n.satellite.ID:
		return rpcstatus.Errorf(rpcstatus.PermissionDenied, "untrusted satellite %s", limit.SatelliteId)
	case limit.PieceId.IsZero():
		return rpcstatus.Error(rpcstatus.InvalidArgument, "missing piece id")
	case limit.UplinkPublicKey.IsZero():
		return rpcstatus.Error(rpcstatus.InvalidArgument, "missing uplink public key")
	case len(limit.SatelliteSignature) == 0:
		return rpcstatus.Error(rpcstatus.InvalidArgument, "missing satellite signature")
	case !limit.OrderExpiration.IsZero() && now.After(limit.OrderExpiration):
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order limit expired at %v", limit.OrderExpiration)
	case !limit.PieceExpiration.IsZero() && limit.Action == pb.PieceAction_PUT && now.After(limit.PieceExpiration):
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "piece expired at %v", limit.PieceExpiration)
	case now.Sub(limit.OrderCreation) > orderLimitGracePeriod:
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order created too long ago: OrderCreation %v < SystemClock %v", limit.OrderCreation, now)
	case limit.OrderCreation.Sub(now) > orderLimitGracePeriod:
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order created too far in the future: OrderCreation %v > SystemClock %v", limit.OrderCreation, now)
	}
	if err := signing.VerifyOrderLimitSignature(ctx, n.satelliteSignee, limit); err != nil {
		return rpcstatus.Errorf(rpcstatus.Unauthenticated, "order limit signature: %v", err)
	}
	// Checked last, so that only a limit the satellite really signed uses up its serial.
	if !n.serials.add(limit.SerialNumber, serialExpiration(limit.OrderCreation, limit.OrderExpiration), now) {
		return rpcstatus.Errorf(rpcstatus.Unauthenticated, "serial number is already used: %s", limit.SerialNumber)
	}
	return nil
}

// orderTracker accepts the uplink's orders for one transfer: same serial, signed with the
// limit's uplink key, amounts never shrinking nor exceeding the limit.
type orderTracker struct {
	limit     *pb.OrderLimit
	allocated int64
}

func (t *orderTracker) accept(ctx context.Context, order *pb.Order) error {
	if order.SerialNumber != t.limit.SerialNumber {
		return rpcstatus.Error(rpcstatus.InvalidArgument, "order serial number differs from the order limit")
	}
	if order.Amount < t.allocated {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order amount %d below previous %d", order.Amount, t.allocated)
	}
	if order.Amount > t.limit.Limit {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "order amount %d above limit %d", order.Amount, t.limit.Limit)
	}
	if err := signing.VerifyUplinkOrderSignature(ctx, t.limit.UplinkPublicKey, order); err != nil {
		return rpcstatus.Errorf(rpcstatus.Unauthenticated, "order signature: %v", err)
	}
	t.allocated = order.Amount
	return nil
}
