// Package store keeps all satellite state in one bbolt file: projects, API keys, revocations,
// buckets, objects (committed and pending), segments and in-flight segment uploads.
package store

import (
	"time"

	"storj.io/common/storj"
	"storj.io/common/uuid"
)

// Limits caps a project's usage and request rate; 0 means unlimited. Records written before a
// field existed read it as 0, so older projects keep behaving as they did.
type Limits struct {
	StorageBytes   int64
	BandwidthBytes int64
	Segments       int64
	// Buckets is the most buckets the project may have.
	Buckets int64 `json:",omitempty"`
	// RequestRate is the project's sustained requests per second, RequestBurst how many it may
	// send at once; both must be set for the project to be rate limited.
	RequestRate  int64 `json:",omitempty"`
	RequestBurst int64 `json:",omitempty"`
}

// Usage is what a project currently consumes. Uploads add to storage and segments at once;
// deletes lower them only when the accounting pass recounts them. Egress counts per calendar
// month (UTC), BandwidthMonth being the month BandwidthBytes belongs to ("2006-01").
type Usage struct {
	StorageBytes   int64
	BandwidthBytes int64
	BandwidthMonth string
	Segments       int64
}

// Project is a tenant: its salt derives the client's root encryption key, so it never changes.
type Project struct {
	ID        uuid.UUID
	Salt      []byte
	CreatedAt time.Time
	Limits    Limits
	Usage     Usage
}

// APIKey is the secret behind a macaroon head.
type APIKey struct {
	Head      []byte
	Secret    []byte
	ProjectID uuid.UUID
	CreatedAt time.Time
	// Version is the macaroon.APIKeyVersion the key was created with: it decides which newer
	// actions (Object Lock) the key may ever perform. Records without it are the oldest version.
	Version uint
}

// Bucket is a named container of objects within a project.
type Bucket struct {
	Name      string
	CreatedAt time.Time
	// Versioning is the pb-level state (1 unversioned, 2 enabled, 3 suspended); 0 in records
	// written before versioning existed means unversioned.
	Versioning int32
	ObjectLock bool
	// DefaultRetention applies to new objects of an Object Lock bucket (mode 0: none).
	DefaultRetentionMode  int32
	DefaultRetentionDays  int32
	DefaultRetentionYears int32
}

// Object is one stream at a key: pending while uploading, then committed (one per key).
type Object struct {
	ProjectID uuid.UUID
	Bucket    string
	Key       []byte
	StreamID  uuid.UUID
	Pending   bool

	CreatedAt time.Time
	ExpiresAt time.Time

	CipherSuite int32
	BlockSize   int64

	EncryptedMetadata      []byte
	EncryptedMetadataKey   []byte
	EncryptedMetadataNonce []byte
	EncryptedETag          []byte

	SegmentCount     int32
	TotalPlainSize   int64
	TotalEncSize     int64
	FixedSegmentSize int64

	// Version orders the committed versions of a key (assigned at commit). Versioned is set
	// when it was written while the bucket's versioning was enabled (else it is the key's
	// "null" version). A delete marker has no data. Archived versions are not the key's
	// latest visible object; they and delete markers live in the versions index.
	Version      int64
	Versioned    bool
	DeleteMarker bool
	Archived     bool

	// Object Lock: retention mode (1 compliance, 2 governance, 0 none), its end, legal hold.
	RetentionMode int32
	RetainUntil   time.Time
	LegalHold     bool
}

// Piece is one erasure share set of a segment held by a node.
type Piece struct {
	Num  int32
	Node storj.NodeID
}

// Segment is one piece of a stream at a (part, index) position: inline data or remote pieces.
type Segment struct {
	StreamID    uuid.UUID
	Part        int32
	Index       int32
	RootPieceID storj.PieceID
	RS          storj.RedundancyScheme
	Pieces      []Piece

	EncryptedKey      []byte
	EncryptedKeyNonce []byte
	EncryptedSize     int64
	PlainSize         int64
	PlainOffset       int64
	EncryptedETag     []byte
	InlineData        []byte

	CreatedAt time.Time
	ExpiresAt time.Time
}

// Position orders segments by part, then index.
func (s *Segment) Position() uint64 { return Position(s.Part, s.Index) }

// Position encodes (part, index) as the sortable 64-bit value the real satellite uses.
func Position(part, index int32) uint64 { return uint64(uint32(part))<<32 | uint64(uint32(index)) }

// Inflight records the pieces of a BeginSegment not yet committed: garbage collection must keep
// them until the upload commits or the order limits expire.
type Inflight struct {
	StreamID    uuid.UUID
	Position    uint64
	RootPieceID storj.PieceID
	Pieces      []Piece
	CreatedAt   time.Time
}
