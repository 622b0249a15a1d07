package storagenode_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storj.io/common/bloomfilter"
	"storj.io/common/identity"
	"storj.io/common/pb"
	"storj.io/common/rpc"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/signing"
	"storj.io/common/storj"
	"storj.io/uplink/private/piecestore"

	"testnet/internal/peer"
	"testnet/storagenode"
)

// fixture is one running node with the identities around it.
type fixture struct {
	t         *testing.T
	dir       string
	satellite *identity.FullIdentity
	nodeIdent *identity.FullIdentity
	uplink    *identity.FullIdentity
	addr      string
	stop      func()
}

func newIdentity(t *testing.T) *identity.FullIdentity {
	t.Helper()
	ident, err := identity.NewFullIdentity(context.Background(), identity.NewCAOptions{Difficulty: 0, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	return ident
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, dir: t.TempDir(), satellite: newIdentity(t), nodeIdent: newIdentity(t), uplink: newIdentity(t)}
	f.start()
	t.Cleanup(func() { f.stop() })
	return f
}

// start (re)starts the node on the same directory and, after a restart, the same port.
func (f *fixture) start() {
	t := f.t
	node, err := storagenode.New(storagenode.Config{DataDir: f.dir, Identity: f.nodeIdent, Satellite: f.satellite.PeerIdentity()})
	if err != nil {
		t.Fatal(err)
	}
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f.addr = lis.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- node.Serve(ctx, lis) }()
	f.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		_ = node.Close()
		f.stop = func() {}
	}
}

func (f *fixture) dial(as *identity.FullIdentity) *piecestore.Client {
	t := f.t
	opts, err := peer.TLSOptions(as)
	if err != nil {
		t.Fatal(err)
	}
	dialer := rpc.NewDefaultDialer(opts)
	client, err := piecestore.Dial(context.Background(), dialer, storj.NodeURL{ID: f.nodeIdent.ID, Address: f.addr}, piecestore.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// limit returns an order limit signed by signer and the uplink's private piece key.
func (f *fixture) limit(signer *identity.FullIdentity, action pb.PieceAction, piece storj.PieceID, size int64) (*pb.OrderLimit, storj.PiecePrivateKey) {
	return f.expiringLimit(signer, action, piece, size, time.Time{})
}

func (f *fixture) expiringLimit(signer *identity.FullIdentity, action pb.PieceAction, piece storj.PieceID, size int64, expires time.Time) (*pb.OrderLimit, storj.PiecePrivateKey) {
	t := f.t
	pub, priv, err := storj.NewPieceKey()
	if err != nil {
		t.Fatal(err)
	}
	var serial storj.SerialNumber
	_, _ = rand.Read(serial[:])
	now := time.Now()
	limit, err := signing.SignOrderLimit(context.Background(), signing.SignerFromFullIdentity(signer), &pb.OrderLimit{
		SerialNumber:    serial,
		SatelliteId:     signer.ID,
		UplinkPublicKey: pub,
		StorageNodeId:   f.nodeIdent.ID,
		PieceId:         piece,
		Limit:           size,
		Action:          action,
		OrderCreation:   now,
		OrderExpiration: now.Add(time.Hour),
		PieceExpiration: expires,
	})
	if err != nil {
		t.Fatal(err)
	}
	return limit, priv
}

func (f *fixture) upload(piece storj.PieceID, data []byte, algorithm pb.PieceHashAlgorithm) (*pb.PieceHash, error) {
	limit, priv := f.limit(f.satellite, pb.PieceAction_PUT, piece, int64(len(data))+1024)
	client := f.dial(f.uplink)
	client.UploadHashAlgo = algorithm
	return client.UploadReader(context.Background(), limit, priv, bytes.NewReader(data))
}

func (f *fixture) download(piece storj.PieceID, offset, size int64) ([]byte, error) {
	limit, priv := f.limit(f.satellite, pb.PieceAction_GET, piece, offset+size)
	download, err := f.dial(f.uplink).Download(context.Background(), limit, priv, offset, size)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(download)
	return data, errors.Join(err, download.Close())
}

// pieceFiles lists every file under the node's directory: committed pieces and uploads.
func (f *fixture) pieceFiles() []string {
	var files []string
	_ = filepath.WalkDir(f.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	return files
}

func randomBytes(n int) []byte {
	data := make([]byte, n)
	_, _ = rand.Read(data)
	return data
}

func TestUploadDownloadRoundTrip(t *testing.T) {
	f := newFixture(t)
	for _, algorithm := range []pb.PieceHashAlgorithm{pb.PieceHashAlgorithm_BLAKE3, pb.PieceHashAlgorithm_SHA256} {
		for _, size := range []int{0, 1, 64 * 1024, 700*1024 + 3} {
			data := randomBytes(size)
			piece := storj.NewPieceID()
			hash, err := f.upload(piece, data, algorithm)
			if err != nil {
				t.Fatalf("upload %d bytes with %v: %v", size, algorithm, err)
			}
			if hash.PieceId != piece || hash.HashAlgorithm != algorithm || hash.PieceSize != int64(size) {
				t.Fatalf("unexpected node hash %+v", hash)
			}
			if err := signing.VerifyPieceHashSignature(context.Background(), signing.SigneeFromPeerIdentity(f.nodeIdent.PeerIdentity()), hash); err != nil {
				t.Fatalf("node hash signature: %v", err)
			}
			got, err := f.download(piece, 0, int64(size))
			if err != nil {
				t.Fatalf("download %d bytes: %v", size, err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("downloaded %d bytes differ", size)
			}
		}
	}
}

func TestRangedDownloadAndRestart(t *testing.T) {
	f := newFixture(t)
	data := randomBytes(300 * 1024)
	piece := storj.NewPieceID()
	if _, err := f.upload(piece, data, pb.PieceHashAlgorithm_BLAKE3); err != nil {
		t.Fatal(err)
	}
	f.stop()
	f.start()
	got, err := f.download(piece, 1000, 200*1024)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data[1000:1000+200*1024]) {
		t.Fatal("ranged download after restart differs")
	}
	if _, err := f.download(piece, 299*1024, 2*1024); err == nil {
		t.Fatal("a range beyond the piece was served")
	}
	if _, err := f.download(storj.NewPieceID(), 0, 10); !isNotFound(err) {
		t.Fatalf("missing piece: got %v, want NotFound", err)
	}
}

// isNotFound: the piecestore download client keeps the message, not the status code.
func isNotFound(err error) bool {
	return err != nil && strings.Contains(err.Error(), "not found")
}

func rpcstatusIs(err error, code rpcstatus.StatusCode) bool {
	return err != nil && rpcstatus.Code(err) == code
}

func TestRefusesBadOrderLimits(t *testing.T) {
	f := newFixture(t)
	data := randomBytes(10 * 1024)

	// signed by someone else than the trusted satellite
	limit, priv := f.limit(f.uplink, pb.PieceAction_PUT, storj.NewPieceID(), 1<<20)
	if _, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data)); err == nil {
		t.Fatal("upload with an untrusted satellite's limit succeeded")
	}
	// a forged signature
	limit, priv = f.limit(f.satellite, pb.PieceAction_PUT, storj.NewPieceID(), 1<<20)
	limit.Limit++
	if _, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data)); err == nil {
		t.Fatal("upload with a tampered limit succeeded")
	}
	// a GET limit used for upload
	limit, priv = f.limit(f.satellite, pb.PieceAction_GET, storj.NewPieceID(), 1<<20)
	if _, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data)); err == nil {
		t.Fatal("upload with a GET limit succeeded")
	}
	// more data than the limit allows
	limit, priv = f.limit(f.satellite, pb.PieceAction_PUT, storj.NewPieceID(), 1024)
	if _, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data)); err == nil {
		t.Fatal("upload beyond the limit succeeded")
	}
	if files := f.pieceFiles(); len(files) != 0 {
		t.Fatalf("refused uploads left files: %v", files)
	}
}

func TestCancelledUploadLeavesNoFile(t *testing.T) {
	f := newFixture(t)
	limit, priv := f.limit(f.satellite, pb.PieceAction_PUT, storj.NewPieceID(), 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	reader := &cancellingReader{data: randomBytes(200 * 1024), cancelAt: 100 * 1024, cancel: cancel}
	if _, err := f.dial(f.uplink).UploadReader(ctx, limit, priv, reader); err == nil {
		t.Fatal("cancelled upload succeeded")
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(f.pieceFiles()) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("cancelled upload left files: %v", f.pieceFiles())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cancellingReader cancels the upload once cancelAt bytes were read.
type cancellingReader struct {
	data     []byte
	read     int
	cancelAt int
	cancel   func()
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if r.read >= r.cancelAt {
		r.cancel()
		time.Sleep(50 * time.Millisecond)
		return 0, context.Canceled
	}
	n := copy(p, r.data[r.read:min(len(r.data), r.cancelAt)])
	r.read += n
	return n, nil
}

func TestRetainAndDeleteOnlyFromTheSatellite(t *testing.T) {
	f := newFixture(t)
	kept, dropped, deleted := storj.NewPieceID(), storj.NewPieceID(), storj.NewPieceID()
	for _, piece := range []storj.PieceID{kept, dropped, deleted} {
		if _, err := f.upload(piece, randomBytes(5000), pb.PieceHashAlgorithm_BLAKE3); err != nil {
			t.Fatal(err)
		}
	}
	filter := bloomfilter.NewOptimal(10, 0.01)
	filter.Add(kept)
	retain := &pb.RetainRequest{CreationDate: time.Now().Add(time.Second), Filter: filter.Bytes()}
	deletes := &pb.DeletePiecesRequest{PieceIds: []storj.PieceID{deleted}}

	// an uplink may not garbage collect
	if err := f.dial(f.uplink).Retain(context.Background(), retain); !rpcstatusIs(err, rpcstatus.PermissionDenied) {
		t.Fatalf("retain from an uplink: got %v, want PermissionDenied", err)
	}
	if _, err := pb.NewDRPCPiecestoreClient(dialConn(t, f, f.uplink)).DeletePieces(context.Background(), deletes); !rpcstatusIs(err, rpcstatus.PermissionDenied) {
		t.Fatalf("delete from an uplink: got %v, want PermissionDenied", err)
	}
	if len(f.pieceFiles()) != 3 {
		t.Fatalf("pieces lost after refused requests: %v", f.pieceFiles())
	}

	if _, err := pb.NewDRPCPiecestoreClient(dialConn(t, f, f.satellite)).DeletePieces(context.Background(), deletes); err != nil {
		t.Fatal(err)
	}
	if err := f.dial(f.satellite).Retain(context.Background(), retain); err != nil {
		t.Fatal(err)
	}
	if _, err := f.download(kept, 0, 5000); err != nil {
		t.Fatalf("retained piece: %v", err)
	}
	for _, piece := range []storj.PieceID{dropped, deleted} {
		if _, err := f.download(piece, 0, 5000); !isNotFound(err) {
			t.Fatalf("collected piece: got %v, want NotFound", err)
		}
	}
}

func dialConn(t *testing.T, f *fixture, as *identity.FullIdentity) *rpc.Conn {
	opts, err := peer.TLSOptions(as)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := rpc.NewDefaultDialer(opts).DialNodeURL(context.Background(), storj.NodeURL{ID: f.nodeIdent.ID, Address: f.addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestExpiredPieceRemovedLazily(t *testing.T) {
	f := newFixture(t)
	piece := storj.NewPieceID()
	data := randomBytes(3000)
	limit, priv := f.expiringLimit(f.satellite, pb.PieceAction_PUT, piece, 4096, time.Now().Add(500*time.Millisecond))
	if _, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if got, err := f.download(piece, 0, 3000); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("download before expiration: %v", err)
	}
	time.Sleep(600 * time.Millisecond)
	if _, err := f.download(piece, 0, 3000); !isNotFound(err) {
		t.Fatalf("expired piece: got %v, want not found", err)
	}
	if files := f.pieceFiles(); len(files) != 0 {
		t.Fatalf("expired piece still on disk: %v", files)
	}

	// an upload whose piece already expired is refused
	limit, priv = f.expiringLimit(f.satellite, pb.PieceAction_PUT, storj.NewPieceID(), 4096, time.Now().Add(-time.Second))
	if _, err := f.dial(f.uplink).UploadReader(context.Background(), limit, priv, bytes.NewReader(data)); err == nil {
		t.Fatal("upload of an already expired piece succeeded")
	}
}
