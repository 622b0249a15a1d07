package metainfo

import (
	"strings"
	"testing"
	"time"
)

func TestValidateBucketName(t *testing.T) {
	for _, name := range []string{"abc", "a-b", "a.b.c", "123", strings.Repeat("a", 63), "my-bucket.v2"} {
		if err := validateBucketName(name); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
	for _, name := range []string{"", "ab", strings.Repeat("a", 64), "Abc", "a_b", "-ab", "ab-", "a..b", ".ab", "192.168.1.1", "ab c"} {
		if err := validateBucketName(name); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestValidateLimits(t *testing.T) {
	if err := validateObjectKey(make([]byte, maxEncryptedObjectKeyLength)); err != nil {
		t.Error(err)
	}
	if err := validateObjectKey(make([]byte, maxEncryptedObjectKeyLength+1)); err == nil {
		t.Error("key over the limit accepted")
	}
	if err := validateMetadata(make([]byte, 2048), nil); err != nil {
		t.Error(err)
	}
	if err := validateMetadata(make([]byte, 2000), make([]byte, 49)); err == nil {
		t.Error("metadata over the limit accepted")
	}
	if err := validateStoredMetadata([]byte("meta"), nil, make([]byte, 32)); err == nil {
		t.Error("stored metadata with a key of 32 bytes accepted")
	}
	for _, ok := range [][3][]byte{{[]byte("meta"), nil, make([]byte, 48)}, {nil, []byte("etag"), make([]byte, 48)}, {nil, nil, nil}} {
		if err := validateStoredMetadata(ok[0], ok[1], ok[2]); err != nil {
			t.Error(err)
		}
	}
	now := time.Now()
	if err := validateExpiration(now.Add(-time.Second), now); err == nil {
		t.Error("past expiration accepted")
	}
	if err := validateExpiration(time.Time{}, now); err != nil {
		t.Error(err)
	}
}
