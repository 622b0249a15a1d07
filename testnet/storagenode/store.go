package storagenode

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"storj.io/common/pb"
	"storj.io/common/storj"
)

// Pieces are files: a fixed-size header area followed by the piece data. The header is written
// last, when the upload is complete, so that its hash and the uplink's signature are known.
const (
	headerMagic = "TNPIECE1"
	// headerSize leaves room for the order limit and the uplink's signed hash (about 1 KiB).
	headerSize  = 4096
	pieceSuffix = ".piece"
)

// pieceHeader is what a node keeps about a piece besides its data.
type pieceHeader struct {
	Hash          []byte                `json:"hash"`
	HashAlgorithm pb.PieceHashAlgorithm `json:"hash_algorithm"`
	OrderLimit    []byte                `json:"order_limit"` // marshalled pb.OrderLimit, satellite-signed
	UplinkHash    []byte                `json:"uplink_hash"` // marshalled pb.PieceHash, uplink-signed
	Size          int64                 `json:"size"`
	CreatedAt     time.Time             `json:"created_at"` // node-local commit time, used by Retain
	ExpiresAt     time.Time             `json:"expires_at"` // zero: never
}

func (h *pieceHeader) expired(now time.Time) bool {
	return !h.ExpiresAt.IsZero() && !now.Before(h.ExpiresAt)
}

// pieceStore keeps committed pieces under dir/pieces/<satellite>/<piece>.piece and uploads in
// progress under dir/tmp, so that an unfinished upload never looks like a piece.
type pieceStore struct {
	dir string
}

func newPieceStore(dir string) (*pieceStore, error) {
	store := &pieceStore{dir: dir}
	// Leftovers of uploads interrupted by a crash are never committed: drop them.
	if err := os.RemoveAll(store.tmpDir()); err != nil {
		return nil, fmt.Errorf("clear temporary uploads: %w", err)
	}
	for _, d := range []string{store.tmpDir(), filepath.Join(dir, "pieces")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create piece directory: %w", err)
		}
	}
	return store, nil
}

func (s *pieceStore) tmpDir() string { return filepath.Join(s.dir, "tmp") }

func (s *pieceStore) satelliteDir(satellite storj.NodeID) string {
	return filepath.Join(s.dir, "pieces", satellite.String())
}

func (s *pieceStore) piecePath(satellite storj.NodeID, piece storj.PieceID) string {
	return filepath.Join(s.satelliteDir(satellite), piece.String()+pieceSuffix)
}

// pendingPiece is an upload in progress, written to a temporary file.
type pendingPiece struct {
	store   *pieceStore
	file    *os.File
	written int64
}

func (s *pieceStore) create() (*pendingPiece, error) {
	file, err := os.CreateTemp(s.tmpDir(), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary piece: %w", err)
	}
	if _, err := file.Seek(headerSize, io.SeekStart); err != nil {
		_ = file.Close()
		_ = os.Remove(file.Name())
		return nil, fmt.Errorf("seek past piece header: %w", err)
	}
	return &pendingPiece{store: s, file: file}, nil
}

func (p *pendingPiece) Write(data []byte) (int, error) {
	n, err := p.file.Write(data)
	p.written += int64(n)
	if err != nil {
		return n, fmt.Errorf("write piece data: %w", err)
	}
	return n, nil
}

// cancel drops the upload; it is safe to call after commit.
func (p *pendingPiece) cancel() {
	if p.file == nil {
		return
	}
	_ = p.file.Close()
	_ = os.Remove(p.file.Name())
	p.file = nil
}

// commit writes the header and moves the piece to its final name, replacing any older copy.
func (p *pendingPiece) commit(satellite storj.NodeID, piece storj.PieceID, header *pieceHeader) error {
	defer p.cancel()
	header.Size = p.written
	encoded, err := encodeHeader(header)
	if err != nil {
		return err
	}
	if _, err := p.file.WriteAt(encoded, 0); err != nil {
		return fmt.Errorf("write piece header: %w", err)
	}
	if err := p.file.Close(); err != nil {
		return fmt.Errorf("close piece: %w", err)
	}
	name := p.file.Name()
	p.file = nil
	if err := os.MkdirAll(p.store.satelliteDir(satellite), 0o700); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("create satellite piece directory: %w", err)
	}
	if err := os.Rename(name, p.store.piecePath(satellite, piece)); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("commit piece: %w", err)
	}
	return nil
}

func encodeHeader(header *pieceHeader) ([]byte, error) {
	body, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("encode piece header: %w", err)
	}
	if len(headerMagic)+4+len(body) > headerSize {
		return nil, fmt.Errorf("piece header too large: %d bytes", len(body))
	}
	encoded := make([]byte, headerSize)
	copy(encoded, headerMagic)
	binary.BigEndian.PutUint32(encoded[len(headerMagic):], uint32(len(body)))
	copy(encoded[len(headerMagic)+4:], body)
	return encoded, nil
}

func decodeHeader(encoded []byte) (*pieceHeader, error) {
	if len(encoded) < len(headerMagic)+4 || string(encoded[:len(headerMagic)]) != headerMagic {
		return nil, errors.New("not a piece file")
	}
	length := int(binary.BigEndian.Uint32(encoded[len(headerMagic):]))
	body := encoded[len(headerMagic)+4:]
	if length > len(body) {
		return nil, errors.New("truncated piece header")
	}
	var header pieceHeader
	if err := json.Unmarshal(body[:length], &header); err != nil {
		return nil, fmt.Errorf("decode piece header: %w", err)
	}
	return &header, nil
}

// storedPiece is an open committed piece.
type storedPiece struct {
	file   *os.File
	header *pieceHeader
}

// ReadAt reads piece data (offsets exclude the header).
func (p *storedPiece) ReadAt(data []byte, offset int64) (int, error) {
	return p.file.ReadAt(data, headerSize+offset)
}

func (p *storedPiece) Close() error { return p.file.Close() }

// errPieceNotFound is returned for missing and for expired pieces.
var errPieceNotFound = errors.New("piece not found")

// open opens a committed piece; an expired piece is deleted and reported missing.
func (s *pieceStore) open(satellite storj.NodeID, piece storj.PieceID, now time.Time) (*storedPiece, error) {
	path := s.piecePath(satellite, piece)
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errPieceNotFound
	} else if err != nil {
		return nil, fmt.Errorf("open piece: %w", err)
	}
	header, err := readHeader(file)
	if err != nil {
		_ = file.Close()
		return nil, fmt.Errorf("piece %s: %w", piece, err)
	}
	if header.expired(now) {
		_ = file.Close()
		_ = os.Remove(path)
		return nil, errPieceNotFound
	}
	return &storedPiece{file: file, header: header}, nil
}

func readHeader(file *os.File) (*pieceHeader, error) {
	encoded := make([]byte, headerSize)
	if _, err := io.ReadFull(file, encoded); err != nil {
		return nil, fmt.Errorf("read piece header: %w", err)
	}
	return decodeHeader(encoded)
}

func (s *pieceStore) delete(satellite storj.NodeID, piece storj.PieceID) error {
	err := os.Remove(s.piecePath(satellite, piece))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete piece %s: %w", piece, err)
	}
	return nil
}

// walk calls fn for every committed piece of satellite, with its header.
func (s *pieceStore) walk(satellite storj.NodeID, fn func(piece storj.PieceID, header *pieceHeader) error) error {
	entries, err := os.ReadDir(s.satelliteDir(satellite))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("list pieces: %w", err)
	}
	for _, entry := range entries {
		name, ok := strings.CutSuffix(entry.Name(), pieceSuffix)
		if !ok {
			continue
		}
		piece, err := storj.PieceIDFromString(name)
		if err != nil {
			continue
		}
		header, err := s.readHeaderOf(satellite, piece)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted meanwhile
		} else if err != nil {
			return err
		}
		if err := fn(piece, header); err != nil {
			return err
		}
	}
	return nil
}

func (s *pieceStore) readHeaderOf(satellite storj.NodeID, piece storj.PieceID) (*pieceHeader, error) {
	file, err := os.Open(s.piecePath(satellite, piece))
	if err != nil {
		return nil, err
	}
	defer func() { _ = file.Close() }()
	return readHeader(file)
}
