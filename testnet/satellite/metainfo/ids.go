package metainfo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"time"

	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"
	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// idCodec makes the opaque stream and segment IDs the client echoes back. Stream IDs must be
// deterministic per pending object (the client compares UploadIDs), so they are the stream UUID
// plus an HMAC, never a randomized signature.
type idCodec struct {
	secret []byte
}

const macSize = 16

func (c idCodec) mac(data []byte) []byte {
	h := hmac.New(sha256.New, c.secret)
	_, _ = h.Write(data)
	return h.Sum(nil)[:macSize]
}

func (c idCodec) encodeStream(stream uuid.UUID) []byte {
	return append(append([]byte{}, stream[:]...), c.mac(stream[:])...)
}

func (c idCodec) decodeStream(id []byte) (uuid.UUID, error) {
	if len(id) != len(uuid.UUID{})+macSize || !hmac.Equal(c.mac(id[:16]), id[16:]) {
		return uuid.UUID{}, rpcstatus.Error(rpcstatus.InvalidArgument, "stream ID invalid")
	}
	stream, err := uuid.FromBytes(id[:16])
	if err != nil {
		return uuid.UUID{}, rpcstatus.Error(rpcstatus.InvalidArgument, "stream ID invalid")
	}
	return stream, nil
}

// segmentID is what a segment upload needs to be committed or retried.
type segmentID struct {
	Stream      uuid.UUID
	Part        int32
	Index       int32
	RootPieceID storj.PieceID
	Pieces      []store.Piece
	PublicKey   []byte // the uplink piece key of the first limits, reused on retries
	CreatedAt   time.Time
}

func (c idCodec) encodeSegment(s *segmentID) ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return append(data, c.mac(data)...), nil
}

func (c idCodec) decodeSegment(id []byte) (*segmentID, error) {
	invalid := rpcstatus.Error(rpcstatus.InvalidArgument, "segment ID invalid")
	if len(id) <= macSize {
		return nil, invalid
	}
	data, sum := id[:len(id)-macSize], id[len(id)-macSize:]
	if !hmac.Equal(c.mac(data), sum) {
		return nil, invalid
	}
	var s segmentID
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, invalid
	}
	return &s, nil
}
