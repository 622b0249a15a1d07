package storagenode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
)

// defaultMessageSize is the chunk size when the uplink asks for none.
const defaultMessageSize = 16 * 1024

// closeWait bounds how long a finished download waits for the uplink to close its side.
const closeWait = 30 * time.Second

// Download sends a range of a piece, never more than the uplink has ordered so far.
func (n *Peer) Download(stream pb.DRPCPiecestore_DownloadStream) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "receive first download message: %v", err)
	}
	limit := first.Limit
	if err := n.verifyOrderLimit(ctx, limit, pb.PieceAction_GET, pb.PieceAction_GET_REPAIR, pb.PieceAction_GET_AUDIT); err != nil {
		return err
	}
	chunk := first.Chunk
	if chunk == nil {
		return rpcstatus.Error(rpcstatus.InvalidArgument, "missing requested chunk")
	}
	if chunk.Offset < 0 || chunk.ChunkSize < 0 || chunk.ChunkSize > limit.Limit {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "chunk %d+%d outside the order limit of %d bytes", chunk.Offset, chunk.ChunkSize, limit.Limit)
	}

	piece, err := n.store.open(limit.SatelliteId, limit.PieceId, time.Now())
	if errors.Is(err, errPieceNotFound) {
		return rpcstatus.Errorf(rpcstatus.NotFound, "piece %s not found", limit.PieceId)
	} else if err != nil {
		return rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	defer func() { _ = piece.Close() }()
	if chunk.Offset+chunk.ChunkSize > piece.header.Size {
		return rpcstatus.Errorf(rpcstatus.InvalidArgument, "chunk %d+%d beyond the piece size %d", chunk.Offset, chunk.ChunkSize, piece.header.Size)
	}

	messageSize := int64(first.MaximumChunkSize)
	if messageSize <= 0 {
		messageSize = defaultMessageSize
	}
	orders := newOrderWindow(limit)
	if first.Order != nil {
		if err := orders.accept(ctx, first.Order); err != nil {
			return err
		}
	}
	recvDone := make(chan error, 1)
	go func() { recvDone <- orders.receive(ctx, stream) }()

	sent := int64(0)
	buffer := make([]byte, messageSize)
	for sent < chunk.ChunkSize {
		allowed, err := orders.waitBeyond(ctx, sent)
		if err != nil {
			return err
		}
		size := min(messageSize, chunk.ChunkSize-sent, allowed-sent)
		data := buffer[:size]
		if _, err := piece.ReadAt(data, chunk.Offset+sent); err != nil {
			return rpcstatus.Errorf(rpcstatus.Internal, "read piece: %v", err)
		}
		err = stream.Send(&pb.PieceDownloadResponse{
			Chunk: &pb.PieceDownloadResponse_Chunk{Offset: chunk.Offset + sent, Data: data},
		})
		if err != nil {
			return nil // the uplink went away: a normal end for a download it no longer needs
		}
		sent += size
	}
	// Wait for the uplink to close its side so that its last orders are not cut off.
	select {
	case <-recvDone:
	case <-ctx.Done():
	case <-time.After(closeWait):
	}
	return nil
}

// orderWindow tracks the orders an uplink sends while it downloads.
type orderWindow struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever the allocation grows or receiving stops
	orders  orderTracker
	failure error
}

func newOrderWindow(limit *pb.OrderLimit) *orderWindow {
	return &orderWindow{changed: make(chan struct{}), orders: orderTracker{limit: limit}}
}

func (w *orderWindow) accept(ctx context.Context, order *pb.Order) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.orders.accept(ctx, order); err != nil {
		return err
	}
	close(w.changed)
	w.changed = make(chan struct{})
	return nil
}

// receive reads orders until the uplink closes the stream.
func (w *orderWindow) receive(ctx context.Context, stream pb.DRPCPiecestore_DownloadStream) error {
	for {
		message, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = rpcstatus.Error(rpcstatus.Canceled, "uplink closed the download")
			}
			w.fail(err)
			return err
		}
		if message.Order == nil {
			continue
		}
		if err := w.accept(ctx, message.Order); err != nil {
			w.fail(err)
			return err
		}
	}
}

func (w *orderWindow) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failure == nil {
		w.failure = err
		close(w.changed)
		w.changed = make(chan struct{})
	}
}

// waitBeyond blocks until the uplink has ordered more than sent bytes and returns the allocation.
func (w *orderWindow) waitBeyond(ctx context.Context, sent int64) (int64, error) {
	for {
		w.mu.Lock()
		allocated, failure, changed := w.orders.allocated, w.failure, w.changed
		w.mu.Unlock()
		if allocated > sent {
			return allocated, nil
		}
		if failure != nil {
			return 0, fmt.Errorf("download stopped before ordering more: %w", failure)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return 0, rpcstatus.Error(rpcstatus.Canceled, "download cancelled")
		}
	}
}
