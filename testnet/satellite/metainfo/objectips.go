package metainfo

import (
	"context"

	"storj.io/common/pb"
	"storj.io/common/storj"
)

// GetObjectIPs returns the addresses of the nodes holding the object's pieces (private API).
func (e *Endpoint) GetObjectIPs(ctx context.Context, req *pb.GetObjectIPsRequest) (*pb.GetObjectIPsResponse, error) {
	obj, err := e.visibleObject(ctx, req.Header, req.Bucket, req.EncryptedObjectKey, req.ObjectVersion)
	if err != nil {
		return nil, err
	}
	segments, err := e.segments(obj.StreamID)
	if err != nil {
		return nil, err
	}
	resp := &pb.GetObjectIPsResponse{SegmentCount: int64(len(segments))}
	seen := map[storj.NodeID]bool{}
	for _, s := range segments {
		resp.PieceCount += int64(len(s.Pieces))
		for _, p := range s.Pieces {
			address, ok := e.nodes.Address(p.Node)
			if !ok {
				continue
			}
			resp.ReliablePieceCount++
			if !seen[p.Node] {
				seen[p.Node] = true
				resp.Ips = append(resp.Ips, []byte(address))
			}
		}
	}
	return resp, nil
}
