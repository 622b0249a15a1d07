package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
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
	prefix := append(ObjectPrefix(project, bucket), key...)
	err = tx.eachVersion(prefix, func(o *Object) error {
		// Keys are arbitrary bytes: the prefix also matches longer keys.
		if bytes.Equal(o.Key, key) {
			out = append(out, o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortVersions(out)
	return out, nil
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
	err = tx.eachVersion(prefix, func(o *Object) error {
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortVersions(out)
	return out, nil
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

func (tx *Tx) eachVersion(prefix []byte, fn func(*Object) error) error {
	c := tx.tx.Bucket(bucketVersions).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var o Object
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("decode object version: %w", err)
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
	return nil
}
