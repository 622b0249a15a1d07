package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"storj.io/common/uuid"
)

var (
	bucketMeta     = []byte("meta")
	bucketProjects = []byte("projects")
	bucketAPIKeys  = []byte("apikeys")
	bucketRevoked  = []byte("revoked")
	bucketBuckets  = []byte("buckets")
	bucketObjects  = []byte("objects")  // committed: project|bucket|0|key
	bucketPending  = []byte("pending")  // pending: project|bucket|0|key|stream
	bucketStreams  = []byte("streams")  // stream -> index key in objects or pending
	bucketSegments = []byte("segments") // stream|position
	bucketInflight = []byte("inflight") // stream|position|root piece id
	bucketVersions = []byte("versions") // archived versions, delete markers: project|bucket|0|key|version

	allBuckets = [][]byte{bucketMeta, bucketProjects, bucketAPIKeys, bucketRevoked, bucketBuckets,
		bucketObjects, bucketPending, bucketStreams, bucketSegments, bucketInflight, bucketVersions}
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// DB is the satellite database.
type DB struct {
	bolt *bolt.DB
}

// Open opens (or creates) the database in dir.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// No fsync per transaction: writes reach the kernel at commit, so they survive the process
	// being killed; only a machine crash could lose the last ones, which a test network accepts
	// for uploads several times faster.
	db, err := bolt.Open(filepath.Join(dir, "satellite.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second, NoSync: true})
	if err != nil {
		return nil, fmt.Errorf("open satellite database: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("initialize satellite database: %w", err)
	}
	return &DB{bolt: db}, nil
}

// Close flushes and closes the database.
func (db *DB) Close() error {
	syncErr := db.bolt.Sync()
	return errors.Join(syncErr, db.bolt.Close())
}

// Update runs fn in one read-write transaction.
func (db *DB) Update(fn func(tx *Tx) error) error {
	return db.bolt.Update(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// View runs fn in one read-only transaction.
func (db *DB) View(fn func(tx *Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Tx is a transaction with typed accessors.
type Tx struct {
	tx *bolt.Tx
}

func (tx *Tx) get(bucket, key []byte, v any) error {
	data := tx.tx.Bucket(bucket).Get(key)
	if data == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s record: %w", bucket, err)
	}
	return nil
}

func (tx *Tx) put(bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s record: %w", bucket, err)
	}
	return tx.tx.Bucket(bucket).Put(key, data)
}

func (tx *Tx) del(bucket, key []byte) error { return tx.tx.Bucket(bucket).Delete(key) }

// scan decodes the records of an index whose keys start with prefix, from the first key ≥ from,
// and calls fn with each key and record until fn returns false. The key is valid only during fn.
func scan[T any](tx *Tx, index, prefix, from []byte, fn func(key []byte, record *T) (more bool, err error)) error {
	c := tx.tx.Bucket(index).Cursor()
	for k, v := c.Seek(from); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		record := new(T)
		if err := json.Unmarshal(v, record); err != nil {
			return fmt.Errorf("decode %s record: %w", index, err)
		}
		if more, err := fn(k, record); err != nil || !more {
			return err
		}
	}
	return nil
}

// Meta returns a raw satellite-level value (nil if absent).
func (tx *Tx) Meta(key string) []byte {
	v := tx.tx.Bucket(bucketMeta).Get([]byte(key))
	return bytes.Clone(v)
}

// SetMeta stores a raw satellite-level value.
func (tx *Tx) SetMeta(key string, value []byte) error {
	return tx.tx.Bucket(bucketMeta).Put([]byte(key), value)
}

// Project returns a project.
func (tx *Tx) Project(id uuid.UUID) (*Project, error) {
	var p Project
	return &p, tx.get(bucketProjects, id[:], &p)
}

// PutProject stores a project.
func (tx *Tx) PutProject(p *Project) error { return tx.put(bucketProjects, p.ID[:], p) }

// Projects returns every project.
func (tx *Tx) Projects() ([]*Project, error) {
	var out []*Project
	err := tx.tx.Bucket(bucketProjects).ForEach(func(_, v []byte) error {
		var p Project
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode project: %w", err)
		}
		out = append(out, &p)
		return nil
	})
	return out, err
}

// APIKey returns the key record of a macaroon head.
func (tx *Tx) APIKey(head []byte) (*APIKey, error) {
	var k APIKey
	return &k, tx.get(bucketAPIKeys, head, &k)
}

// PutAPIKey stores a key record.
func (tx *Tx) PutAPIKey(k *APIKey) error { return tx.put(bucketAPIKeys, k.Head, k) }

// IsRevoked reports whether a macaroon tail was revoked.
func (tx *Tx) IsRevoked(tail []byte) bool { return tx.tx.Bucket(bucketRevoked).Get(tail) != nil }

// Revoke records a revoked macaroon tail.
func (tx *Tx) Revoke(tail []byte) error { return tx.tx.Bucket(bucketRevoked).Put(tail, []byte{1}) }

func bucketKey(project uuid.UUID, name string) []byte {
	return append(append(project[:0:0], project[:]...), name...)
}

// Bucket returns a bucket.
func (tx *Tx) Bucket(project uuid.UUID, name string) (*Bucket, error) {
	var b Bucket
	return &b, tx.get(bucketBuckets, bucketKey(project, name), &b)
}

// PutBucket stores a bucket.
func (tx *Tx) PutBucket(project uuid.UUID, b *Bucket) error {
	return tx.put(bucketBuckets, bucketKey(project, b.Name), b)
}

// DeleteBucket removes a bucket record (not its objects).
func (tx *Tx) DeleteBucket(project uuid.UUID, name string) error {
	return tx.del(bucketBuckets, bucketKey(project, name))
}

// Buckets calls fn for the project's buckets after cursor in name order until fn returns false.
func (tx *Tx) Buckets(project uuid.UUID, after string, fn func(*Bucket) (bool, error)) error {
	prefix := project[:]
	return scan(tx, bucketBuckets, prefix, bucketKey(project, after), func(k []byte, b *Bucket) (bool, error) {
		if string(k[len(prefix):]) <= after && after != "" {
			return true, nil
		}
		return fn(b)
	})
}

// ObjectPrefix is the index prefix of all objects of a bucket.
func ObjectPrefix(project uuid.UUID, bucket string) []byte {
	k := bucketKey(project, bucket)
	return append(k, 0)
}

func committedKey(o *Object) []byte {
	return append(ObjectPrefix(o.ProjectID, o.Bucket), o.Key...)
}

func pendingKey(o *Object) []byte {
	return append(committedKey(o), o.StreamID[:]...)
}

// Where a stream lives (the first byte of its streams entry).
const (
	locCommitted byte = iota
	locPending
	locVersions
)

func indexKey(o *Object) (byte, []byte, []byte) {
	switch {
	case o.Pending:
		return locPending, bucketPending, pendingKey(o)
	case o.Archived || o.DeleteMarker:
		return locVersions, bucketVersions, versionKey(o)
	}
	return locCommitted, bucketObjects, committedKey(o)
}

// CommittedObject returns the committed object at a key.
func (tx *Tx) CommittedObject(project uuid.UUID, bucket string, key []byte) (*Object, error) {
	var o Object
	k := append(ObjectPrefix(project, bucket), key...)
	return &o, tx.get(bucketObjects, k, &o)
}

// ObjectByStream returns the object (pending or committed) of a stream.
func (tx *Tx) ObjectByStream(stream uuid.UUID) (*Object, error) {
	loc := tx.tx.Bucket(bucketStreams).Get(stream[:])
	if loc == nil {
		return nil, ErrNotFound
	}
	index := bucketObjects
	switch loc[0] {
	case locPending:
		index = bucketPending
	case locVersions:
		index = bucketVersions
	}
	var o Object
	return &o, tx.get(index, loc[1:], &o)
}

// PutObject stores an object in the index matching its status.
func (tx *Tx) PutObject(o *Object) error {
	where, b, k := indexKey(o)
	if err := tx.put(b, k, o); err != nil {
		return err
	}
	loc := append([]byte{where}, k...)
	return tx.tx.Bucket(bucketStreams).Put(o.StreamID[:], loc)
}

// DeleteObject removes an object from its index (segments are removed separately).
func (tx *Tx) DeleteObject(o *Object) error {
	_, b, k := indexKey(o)
	if err := tx.del(b, k); err != nil {
		return err
	}
	return tx.del(bucketStreams, o.StreamID[:])
}

// Objects iterates committed (pending=false) or pending objects whose index key starts with
// prefix, from the first key ≥ from, until fn returns false.
func (tx *Tx) Objects(pending bool, prefix, from []byte, fn func(*Object) (bool, error)) error {
	name := bucketObjects
	if pending {
		name = bucketPending
	}
	return scan(tx, name, prefix, from, func(_ []byte, o *Object) (bool, error) { return fn(o) })
}

func segmentKey(stream uuid.UUID, position uint64) []byte {
	k := make([]byte, 0, 24)
	k = append(k, stream[:]...)
	return binary.BigEndian.AppendUint64(k, position)
}

// Segment returns one segment.
func (tx *Tx) Segment(stream uuid.UUID, position uint64) (*Segment, error) {
	var s Segment
	return &s, tx.get(bucketSegments, segmentKey(stream, position), &s)
}

// PutSegment stores a segment.
func (tx *Tx) PutSegment(s *Segment) error {
	return tx.put(bucketSegments, segmentKey(s.StreamID, s.Position()), s)
}

// Segments returns a stream's segments in position order.
func (tx *Tx) Segments(stream uuid.UUID) ([]*Segment, error) {
	var out []*Segment
	err := scan(tx, bucketSegments, stream[:], stream[:], func(_ []byte, s *Segment) (bool, error) {
		out = append(out, s)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteSegments removes all segments and in-flight uploads of a stream and returns the removed
// segments.
func (tx *Tx) DeleteSegments(stream uuid.UUID) ([]*Segment, error) {
	segments, err := tx.Segments(stream)
	if err != nil {
		return nil, err
	}
	for _, s := range segments {
		if err := tx.del(bucketSegments, segmentKey(stream, s.Position())); err != nil {
			return nil, err
		}
	}
	return segments, tx.deletePrefix(bucketInflight, stream[:])
}

func (tx *Tx) deletePrefix(bucket, prefix []byte) error {
	c := tx.tx.Bucket(bucket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// AllSegments calls fn for every stored segment.
func (tx *Tx) AllSegments(fn func(*Segment) error) error {
	return tx.tx.Bucket(bucketSegments).ForEach(func(_, v []byte) error {
		var s Segment
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode segment: %w", err)
		}
		return fn(&s)
	})
}

func inflightKey(i *Inflight) []byte {
	return append(segmentKey(i.StreamID, i.Position), i.RootPieceID[:]...)
}

// PutInflight records the limits of a begun segment upload.
func (tx *Tx) PutInflight(i *Inflight) error { return tx.put(bucketInflight, inflightKey(i), i) }

// DeleteInflight forgets a begun segment upload (committed or replaced).
func (tx *Tx) DeleteInflight(i *Inflight) error { return tx.del(bucketInflight, inflightKey(i)) }

// AllInflight calls fn for every in-flight upload; fn may ask to drop the record.
func (tx *Tx) AllInflight(fn func(*Inflight) (drop bool, err error)) error {
	var drops [][]byte
	err := tx.tx.Bucket(bucketInflight).ForEach(func(k, v []byte) error {
		var i Inflight
		if err := json.Unmarshal(v, &i); err != nil {
			return fmt.Errorf("decode in-flight upload: %w", err)
		}
		drop, err := fn(&i)
		if drop {
			drops = append(drops, bytes.Clone(k))
		}
		return err
	})
	if err != nil {
		return err
	}
	if !tx.tx.Writable() {
		return nil
	}
	for _, k := range drops {
		if err := tx.del(bucketInflight, k); err != nil {
			return err
		}
	}
	return nil
}
