package authservice

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"testnet/internal/atomicfile"
)

// record is one registered access, kept as a JSON file named after its access key ID.
type record struct {
	AccessGrant string    `json:"access_grant"`
	SecretKey   string    `json:"secret_key"`
	Public      bool      `json:"public"`
	CreatedAt   time.Time `json:"created_at"`
}

// recordStore keeps registered accesses under dir so that they survive restarts.
type recordStore struct {
	dir string
}

func newRecordStore(dir string) (*recordStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create access store: %w", err)
	}
	return &recordStore{dir: dir}, nil
}

func (s *recordStore) path(accessKeyID string) string {
	return filepath.Join(s.dir, accessKeyID+".json")
}

func (s *recordStore) put(accessKeyID string, rec record) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode access record: %w", err)
	}
	return atomicfile.Write(s.path(accessKeyID), data, 0o600)
}

// get returns the access registered under accessKeyID.
func (s *recordStore) get(accessKeyID string) (record, error) {
	var rec record
	data, err := os.ReadFile(s.path(accessKeyID))
	if err != nil {
		return rec, fmt.Errorf("read access record: %w", err)
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("decode access record: %w", err)
	}
	return rec, nil
}
