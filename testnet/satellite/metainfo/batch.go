package metainfo

import (
	"context"
	"fmt"

	"storj.io/common/storj"

	"github.com/klauspost/compress/zstd"

	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
)

// CompressedBatch is the client's default path: a marshalled BatchRequest, optionally zstd.
func (e *Endpoint) CompressedBatch(ctx context.Context, req *pb.CompressedBatchRequest) (*pb.CompressedBatchResponse, error) {
	data := req.Data
	if req.Selected == pb.CompressedBatchRequest_ZSTD {
		decoder, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(64<<20))
		if err != nil {
			return nil, errInternal(err)
		}
		defer decoder.Close()
		if data, err = decoder.DecodeAll(req.Data, nil); err != nil {
			return nil, errInvalid("invalid compressed batch: %v", err)
		}
	}
	var batch pb.BatchRequest
	if err := pb.Unmarshal(data, &batch); err != nil {
		return nil, errInvalid("invalid batch request: %v", err)
	}
	resp, err := e.Batch(ctx, &batch)
	if err != nil {
		return nil, err
	}
	out, err := pb.Marshal(resp)
	if err != nil {
		return nil, errInternal(err)
	}
	return &pb.CompressedBatchResponse{Selected: pb.CompressedBatchRequest_NONE, Data: out}, nil
}

// Batch runs the items in order. Items carry no header and may omit the stream or segment ID of
// an earlier item in the same batch; the first failure aborts the batch.
func (e *Endpoint) Batch(ctx context.Context, req *pb.BatchRequest) (*pb.BatchResponse, error) {
	resp := &pb.BatchResponse{}
	state := &batchState{}
	for _, item := range req.Requests {
		result, err := e.batchItem(ctx, req.Header, item, state)
		if err != nil {
			return nil, err
		}
		resp.Responses = append(resp.Responses, result)
	}
	return resp, nil
}

// batchState carries IDs from earlier items to later ones.
type batchState struct {
	streamID  storj.StreamID
	segmentID storj.SegmentID
}

func (s *batchState) stream(id storj.StreamID) storj.StreamID {
	if len(id) == 0 {
		return s.streamID
	}
	return id
}

func (e *Endpoint) batchItem(ctx context.Context, header *pb.RequestHeader, item *pb.BatchRequestItem, state *batchState) (*pb.BatchResponseItem, error) {
	switch r := item.Request.(type) {
	case *pb.BatchRequestItem_BucketCreate:
		r.BucketCreate.Header = header
		resp, err := e.CreateBucket(ctx, r.BucketCreate)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketCreate{BucketCreate: resp}}, err
	case *pb.BatchRequestItem_BucketGet:
		r.BucketGet.Header = header
		resp, err := e.GetBucket(ctx, r.BucketGet)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketGet{BucketGet: resp}}, err
	case *pb.BatchRequestItem_BucketDelete:
		r.BucketDelete.Header = header
		resp, err := e.DeleteBucket(ctx, r.BucketDelete)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketDelete{BucketDelete: resp}}, err
	case *pb.BatchRequestItem_BucketList:
		r.BucketList.Header = header
		resp, err := e.ListBuckets(ctx, r.BucketList)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketList{BucketList: resp}}, err
	case *pb.BatchRequestItem_ObjectBegin:
		r.ObjectBegin.Header = header
		resp, err := e.BeginObject(ctx, r.ObjectBegin)
		if err == nil {
			state.streamID = resp.StreamId
		}
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectBegin{ObjectBegin: resp}}, err
	case *pb.BatchRequestItem_ObjectCommit:
		r.ObjectCommit.Header = header
		r.ObjectCommit.StreamId = state.stream(r.ObjectCommit.StreamId)
		resp, err := e.CommitObject(ctx, r.ObjectCommit)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectCommit{ObjectCommit: resp}}, err
	case *pb.BatchRequestItem_ObjectGet:
		r.ObjectGet.Header = header
		resp, err := e.GetObject(ctx, r.ObjectGet)
		if err == nil && resp.Object != nil {
			state.streamID = resp.Object.StreamId
		}
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectGet{ObjectGet: resp}}, err
	case *pb.BatchRequestItem_ObjectList:
		r.ObjectList.Header = header
		resp, err := e.ListObjects(ctx, r.ObjectList)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectList{ObjectList: resp}}, err
	case *pb.BatchRequestItem_ObjectBeginDelete:
		r.ObjectBeginDelete.Header = header
		resp, err := e.BeginDeleteObject(ctx, r.ObjectBeginDelete)
		if err == nil {
			state.streamID = resp.StreamId
		}
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectBeginDelete{ObjectBeginDelete: resp}}, err
	case *pb.BatchRequestItem_ObjectListPendingStreams:
		r.ObjectListPendingStreams.Header = header
		resp, err := e.ListPendingObjectStreams(ctx, r.ObjectListPendingStreams)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectListPendingStreams{ObjectListPendingStreams: resp}}, err
	case *pb.BatchRequestItem_ObjectDownload:
		r.ObjectDownload.Header = header
		resp, err := e.DownloadObject(ctx, r.ObjectDownload)
		if err == nil && resp.Object != nil {
			state.streamID = resp.Object.StreamId
		}
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectDownload{ObjectDownload: resp}}, err
	case *pb.BatchRequestItem_ObjectGetIps:
		r.ObjectGetIps.Header = header
		resp, err := e.GetObjectIPs(ctx, r.ObjectGetIps)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectGetIps{ObjectGetIps: resp}}, err
	case *pb.BatchRequestItem_ObjectUpdateMetadata:
		r.ObjectUpdateMetadata.Header = header
		resp, err := e.UpdateObjectMetadata(ctx, r.ObjectUpdateMetadata)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectUpdateMetadata{ObjectUpdateMetadata: resp}}, err
	case *pb.BatchRequestItem_ObjectBeginMove:
		r.ObjectBeginMove.Header = header
		resp, err := e.BeginMoveObject(ctx, r.ObjectBeginMove)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectBeginMove{ObjectBeginMove: resp}}, err
	case *pb.BatchRequestItem_ObjectFinishMove:
		r.ObjectFinishMove.Header = header
		resp, err := e.FinishMoveObject(ctx, r.ObjectFinishMove)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectFinishMove{ObjectFinishMove: resp}}, err
	case *pb.BatchRequestItem_ObjectBeginCopy:
		r.ObjectBeginCopy.Header = header
		resp, err := e.BeginCopyObject(ctx, r.ObjectBeginCopy)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectBeginCopy{ObjectBeginCopy: resp}}, err
	case *pb.BatchRequestItem_ObjectFinishCopy:
		r.ObjectFinishCopy.Header = header
		resp, err := e.FinishCopyObject(ctx, r.ObjectFinishCopy)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectFinishCopy{ObjectFinishCopy: resp}}, err
	case *pb.BatchRequestItem_SegmentBegin:
		r.SegmentBegin.Header = header
		r.SegmentBegin.StreamId = state.stream(r.SegmentBegin.StreamId)
		resp, err := e.BeginSegment(ctx, r.SegmentBegin)
		if err == nil {
			state.segmentID = resp.SegmentId
		}
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_SegmentBegin{SegmentBegin: resp}}, err
	case *pb.BatchRequestItem_SegmentCommit:
		r.SegmentCommit.Header = header
		if len(r.SegmentCommit.SegmentId) == 0 {
			r.SegmentCommit.SegmentId = state.segmentID
		}
		resp, err := e.CommitSegment(ctx, r.SegmentCommit)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_SegmentCommit{SegmentCommit: resp}}, err
	case *pb.BatchRequestItem_SegmentMakeInline:
		r.SegmentMakeInline.Header = header
		r.SegmentMakeInline.StreamId = state.stream(r.SegmentMakeInline.StreamId)
		resp, err := e.MakeInlineSegment(ctx, r.SegmentMakeInline)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_SegmentMakeInline{SegmentMakeInline: resp}}, err
	case *pb.BatchRequestItem_SegmentList:
		r.SegmentList.Header = header
		r.SegmentList.StreamId = state.stream(r.SegmentList.StreamId)
		resp, err := e.ListSegments(ctx, r.SegmentList)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_SegmentList{SegmentList: resp}}, err
	case *pb.BatchRequestItem_SegmentDownload:
		r.SegmentDownload.Header = header
		r.SegmentDownload.StreamId = state.stream(r.SegmentDownload.StreamId)
		resp, err := e.DownloadSegment(ctx, r.SegmentDownload)
		if err == nil {
			state.segmentID = resp.SegmentId
		}
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_SegmentDownload{SegmentDownload: resp}}, err
	case *pb.BatchRequestItem_SegmentBeginRetryPieces:
		r.SegmentBeginRetryPieces.Header = header
		resp, err := e.RetryBeginSegmentPieces(ctx, r.SegmentBeginRetryPieces)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_SegmentBeginRetryPieces{SegmentBeginRetryPieces: resp}}, err
	case *pb.BatchRequestItem_RevokeApiKey:
		r.RevokeApiKey.Header = header
		resp, err := e.RevokeAPIKey(ctx, r.RevokeApiKey)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_RevokeApiKey{RevokeApiKey: resp}}, err
	case *pb.BatchRequestItem_BucketGetVersioning:
		r.BucketGetVersioning.Header = header
		resp, err := e.GetBucketVersioning(ctx, r.BucketGetVersioning)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketGetVersioning{BucketGetVersioning: resp}}, err
	case *pb.BatchRequestItem_BucketSetVersioning:
		r.BucketSetVersioning.Header = header
		resp, err := e.SetBucketVersioning(ctx, r.BucketSetVersioning)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketSetVersioning{BucketSetVersioning: resp}}, err
	case *pb.BatchRequestItem_BucketGetObjectLockConfiguration:
		r.BucketGetObjectLockConfiguration.Header = header
		resp, err := e.GetBucketObjectLockConfiguration(ctx, r.BucketGetObjectLockConfiguration)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketGetObjectLockConfiguration{BucketGetObjectLockConfiguration: resp}}, err
	case *pb.BatchRequestItem_BucketSetObjectLockConfiguration:
		r.BucketSetObjectLockConfiguration.Header = header
		resp, err := e.SetBucketObjectLockConfiguration(ctx, r.BucketSetObjectLockConfiguration)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_BucketSetObjectLockConfiguration{BucketSetObjectLockConfiguration: resp}}, err
	case *pb.BatchRequestItem_ObjectsDelete:
		r.ObjectsDelete.Header = header
		resp, err := e.DeleteObjects(ctx, r.ObjectsDelete)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectsDelete{ObjectsDelete: resp}}, err
	case *pb.BatchRequestItem_ObjectGetRetention:
		r.ObjectGetRetention.Header = header
		resp, err := e.GetObjectRetention(ctx, r.ObjectGetRetention)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectGetRetention{ObjectGetRetention: resp}}, err
	case *pb.BatchRequestItem_ObjectSetRetention:
		r.ObjectSetRetention.Header = header
		resp, err := e.SetObjectRetention(ctx, r.ObjectSetRetention)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectSetRetention{ObjectSetRetention: resp}}, err
	case *pb.BatchRequestItem_ObjectGetLegalHold:
		r.ObjectGetLegalHold.Header = header
		resp, err := e.GetObjectLegalHold(ctx, r.ObjectGetLegalHold)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectGetLegalHold{ObjectGetLegalHold: resp}}, err
	case *pb.BatchRequestItem_ObjectSetLegalHold:
		r.ObjectSetLegalHold.Header = header
		resp, err := e.SetObjectLegalHold(ctx, r.ObjectSetLegalHold)
		return &pb.BatchResponseItem{Response: &pb.BatchResponseItem_ObjectSetLegalHold{ObjectSetLegalHold: resp}}, err
	default:
		return nil, rpcstatus.Error(rpcstatus.Unimplemented, fmt.Sprintf("batch item %T is not implemented", r))
	}
}
