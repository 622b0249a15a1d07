package storagenode_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"storj.io/common/identity"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/signing"
	"storj.io/common/storj"
)

// limitCreatedAt is a limit like fixture.limit's, signed by the trusted satellite, created at
// created: only a hand-made limit can be old, future-dated or reused.
func (f *fixture) limitCreatedAt(action pb.PieceAction, piece storj.PieceID, size int64, created time.Time) (*pb.OrderLimit, storj.PiecePrivateKey) {
	limit, priv := f.limit(f.satellite, action, piece, size)
	limit.OrderCreation = created
	limit.OrderExpiration = created.Add(48 * time.Hour)
	return f.resign(f.satellite, limit), priv
}

func (f *fixture) resign(signer *identity.FullIdentity, limit *pb.OrderLimit) *pb.OrderLimit {
	limit.SatelliteSignature = nil
	signed, err := signing.SignOrderLimit(context.Background(), signing.SignerFromFullIdentity(signer), limit)
	if err != nil {
		f.t.Fatal(err)
	}
	return signed
}

func (f *fixture) uploadWith(limit *pb.OrderLimit, priv storj.PiecePrivateKey, data []byte) error {
	_, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data))
	return err
}

// rawUpload sends only the order limit on a plain piecestore stream and returns the node's
// answer with its status code (the uplink's piecestore client keeps only the message).
func (f *fixture) rawUpload(limit *pb.OrderLimit) error {
	stream, err := pb.NewDRPCPiecestoreClient(dialConn(f.t, f, f.uplink)).Upload(context.Background())
	if err != nil {
		return err
	}
	if err := stream.Send(&pb.PieceUploadRequest{Limit: limit, HashAlgorithm: pb.PieceHashAlgorithm_BLAKE3}); err != nil {
		return err
	}
	_, err = stream.CloseAndRecv()
	return err
}

// rawDownload asks for the first byte with limit on a plain piecestore stream and returns the
// node's answer with its status code.
func (f *fixture) rawDownload(limit *pb.OrderLimit) error {
	stream, err := pb.NewDRPCPiecestoreClient(dialConn(f.t, f, f.uplink)).Download(context.Background())
	if err != nil {
		return err
	}
	defer func() { _ = stream.Close() }()
	if err := stream.Send(&pb.PieceDownloadRequest{Limit: limit, Chunk: &pb.PieceDownloadRequest_Chunk{ChunkSize: 1}}); err != nil {
		return err
	}
	_, err = stream.Recv()
	return err
}

// A node accepts an order limit's serial number once: the same limit (or another limit with
// its serial) is refused the second time, for uploads and downloads alike, as on real nodes.
func TestRefusesReusedSerial(t *testing.T) {
	f := newFixture(t)
	data := randomBytes(4 * 1024)
	piece := storj.NewPieceID()
	put, priv := f.limit(f.satellite, pb.PieceAction_PUT, piece, 1<<20)
	if err := f.uploadWith(put, priv, data); err != nil {
		t.Fatal(err)
	}
	err := f.rawUpload(put)
	if !isReusedSerial(err) || !rpcstatusIs(err, rpcstatus.Unauthenticated) {
		t.Fatalf("upload with a used limit: got %v, want Unauthenticated \"serial number is already used\"", err)
	}
	// a fresh limit for another piece that carries the used serial
	other, otherPriv := f.limit(f.satellite, pb.PieceAction_PUT, storj.NewPieceID(), 1<<20)
	other.SerialNumber = put.SerialNumber
	if err := f.uploadWith(f.resign(f.satellite, other), otherPriv, data); !isReusedSerial(err) {
		t.Fatalf("upload with another limit of a used serial: got %v", err)
	}

	get, getPriv := f.limit(f.satellite, pb.PieceAction_GET, piece, int64(len(data)))
	download, err := f.dial(f.uplink).Download(context.Background(), get, getPriv, 0, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(download)
	if err := errors.Join(err, download.Close()); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("first download: %v", err)
	}
	if err := f.rawDownload(get); !isReusedSerial(err) || !rpcstatusIs(err, rpcstatus.Unauthenticated) {
		t.Fatalf("download with a used limit: got %v, want Unauthenticated serial number is already used", err)
	}
	// a refused limit does not use up its serial: only verified limits are remembered
	forged, forgedPriv := f.limit(f.satellite, pb.PieceAction_PUT, storj.NewPieceID(), 1<<20)
	forged.Limit++ // breaks the signature
	if err := f.uploadWith(forged, forgedPriv, data); err == nil || isReusedSerial(err) {
		t.Fatalf("tampered limit: got %v, want a signature error", err)
	}
	forged.Limit--
	if err := f.uploadWith(forged, forgedPriv, data); err != nil {
		t.Fatalf("the genuine limit after its tampered copy was refused: %v", err)
	}
}

// Order limits are usable for one hour from their creation, in either direction of the clock.
func TestOrderLimitGracePeriodIsOneHour(t *testing.T) {
	f := newFixture(t)
	data := randomBytes(1024)
	now := time.Now()
	for _, c := range []struct {
		name    string
		created time.Time
		want    string // "" = accepted
	}{
		{"59 minutes old", now.Add(-59 * time.Minute), ""},
		{"61 minutes old", now.Add(-61 * time.Minute), "order created too long ago"},
		{"59 minutes ahead", now.Add(59 * time.Minute), ""},
		{"61 minutes ahead", now.Add(61 * time.Minute), "order created too far in the future"},
	} {
		limit, priv := f.limitCreatedAt(pb.PieceAction_PUT, storj.NewPieceID(), 1<<20, c.created)
		if c.want == "" {
			if err := f.uploadWith(limit, priv, data); err != nil {
				t.Errorf("%s: refused: %v", c.name, err)
			}
			continue
		}
		err := f.rawUpload(limit)
		switch {
		case c.want != "" && (!rpcstatusIs(err, rpcstatus.InvalidArgument) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want InvalidArgument %q", c.name, err, c.want)
		}
	}
}

// isReusedSerial recognizes the node's refusal by its message (the piecestore client drops codes).
func isReusedSerial(err error) bool {
	return err != nil && strings.Contains(err.Error(), "serial number is already used")
}
