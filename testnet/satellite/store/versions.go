package store

import (
	"bytes"
	"encoding/binary"
	"sort"

	"storj.io/common/uuid"
)

func versionKey(o *Object) []byte {
	return binary.BigEndian.AppendUint64(committedKey(o), uint64(o.Version))
}

// KeyVersions returns every committed version of one key (the latest visible object, archived
// versions and delete markers), newest first.
func (tx *Tx) KeyVersions(project uuid.UUID, bucket string, key []byte) ([]*Object, error) {
	var out []*Object
	latest, err := tx.CommittedObject(project, bucket, key)
	switch {
	case err == nil:
		out = append(out, latest)
	case err != ErrNotFound:
		return nil, err
	}
	// Keys are arbitrary bytes: the prefix also matches longer keys.
	return tx.withVersions(out, append(ObjectPrefix(project, bucket), key...),
		func(o *Object) bool { return bytes.Equal(o.Key, key) })
}

// BucketVersions returns every committed version under prefix (an ObjectPrefix plus the start
// of keys), ordered by key, then newest first.
func (tx *Tx) BucketVersions(prefix []byte) ([]*Object, error) {
	var out []*Object
	err := tx.Objects(false, prefix, prefix, func(o *Object) (bool, error) {
		out = append(out, o)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return tx.withVersions(out, prefix, func(*Object) bool { return true })
}

// withVersions adds to objects the archived versions and delete markers under prefix that keep
// accepts, and sorts them all in the order of version listings.
func (tx *Tx) withVersions(objects []*Object, prefix []byte, keep func(*Object) bool) ([]*Object, error) {
	err := scan(tx, bucketVersions, prefix, prefix, func(_ []byte, o *Object) (bool, error) {
		if keep(o) {
			objects = append(objects, o)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	SortVersions(objects)
	return objects, nil
}

// SortVersions orders versions by key, then newest first: the order of version listings.
func SortVersions(objects []*Object) {
	sort.Slice(objects, func(i, j int) bool {
		if c := bytes.Compare(objects[i].Key, objects[j].Key); c != 0 {
			return c < 0
		}
		return objects[i].Version > objects[j].Version
	})
}
