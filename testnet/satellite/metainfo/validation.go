package metainfo

import (
	"fmt"
	"net"
	"strings"
	"time"

	"storj.io/common/memory"
	"storj.io/common/rpc/rpcstatus"

	"testnet/satellite/store"
)

// Limits of the real satellite (storj/storj satellite/metainfo/config.go defaults).
const (
	maxEncryptedObjectKeyLength = 4000
	maxMetadataSize             = 2 * memory.KiB
	maxSegmentSize              = 64 * memory.MiB
	// maxInlineSegmentSize is the 4 KiB plain limit encrypted with the smallest block size the
	// real satellite assumes (AES-GCM, 128-byte blocks): 37 blocks of 128 bytes.
	maxInlineSegmentSize = 4736
	maxListLimit         = 1000
	maxBucketNameLength  = 63
	minBucketNameLength  = 3
)

// listLimit is how many items a listing answers with: what the request asks for, at most (and
// when it asks for none) the real satellite's maximum.
func listLimit(requested int32) int {
	if requested <= 0 || requested > maxListLimit {
		return maxListLimit
	}
	return int(requested)
}

// validateBucketName applies the real satellite's bucket naming rules (with its texts): 3-63
// characters, dot-separated labels of lowercase letters, digits and hyphens that start and end
// with a letter or digit, and not an IPv4 address.
func validateBucketName(name string) error {
	if err := validateBucketNameLength([]byte(name)); err != nil {
		return err
	}
	for _, label := range strings.Split(name, ".") {
		switch {
		case label == "":
			return errInvalid("bucket label cannot be empty")
		case !isAlnum(label[0]):
			return errInvalid("bucket label must start with a lowercase letter or number")
		case !isAlnum(label[len(label)-1]):
			return errInvalid("bucket label must end with a lowercase letter or number")
		}
		for i := 1; i < len(label)-1; i++ {
			if !isAlnum(label[i]) && label[i] != '-' {
				return errInvalid("bucket name must contain only lowercase letters, numbers or hyphens")
			}
		}
	}
	if ip := net.ParseIP(name); ip != nil && ip.To4() != nil {
		return errInvalid("bucket name cannot be formatted as an IP address")
	}
	return nil
}

func isAlnum(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') }

// validateBucketNameLength is the cheap check object calls make before looking the bucket up.
func validateBucketNameLength(name []byte) error {
	if len(name) == 0 {
		return errInvalid("bucket not specified")
	}
	if len(name) < minBucketNameLength || len(name) > maxBucketNameLength {
		return errInvalid("bucket name must be at least 3 and no more than 63 characters long")
	}
	return nil
}

func validateObjectKey(key []byte) error {
	if len(key) == 0 {
		return errInvalid("missing encrypted object key")
	}
	if len(key) > maxEncryptedObjectKeyLength {
		return errInvalid("key length is too big, got %v, maximum allowed is %v", len(key), maxEncryptedObjectKeyLength)
	}
	return nil
}

func validateMetadata(metadata, etag []byte) error {
	size := memory.Size(len(metadata) + len(etag))
	if size > maxMetadataSize {
		return errInvalid("Encrypted metadata is too large, got %v, maximum allowed is %v", size, maxMetadataSize)
	}
	return nil
}

// encryptedMetadataKeySize is the size of an encrypted metadata key (a 32-byte key sealed with
// AES-GCM), which the real satellite requires whenever metadata or an ETag is stored.
const encryptedMetadataKeySize = 48

// validateStoredMetadata is validateMetadata plus the real satellite's check of the key of metadata
// being stored (at commit, metadata update and copy).
func validateStoredMetadata(metadata, etag, key []byte) error {
	if err := validateMetadata(metadata, etag); err != nil {
		return err
	}
	if len(metadata)+len(etag) > 0 && len(key) != encryptedMetadataKeySize {
		return errInvalid("Encrypted metadata key size is invalid, got %v, expected %v", len(key), encryptedMetadataKeySize)
	}
	return nil
}

func validateExpiration(expiresAt, now time.Time) error {
	if !expiresAt.IsZero() && !expiresAt.After(now) {
		return errInvalid("Invalid expiration time")
	}
	return nil
}

// Quota texts the client maps to ErrStorageLimitExceeded, ErrSegmentsLimitExceeded and
// ErrBandwidthLimitExceeded.
var (
	errStorageLimit   = rpcstatus.Error(rpcstatus.ResourceExhausted, "Exceeded Storage Limit")
	errSegmentsLimit  = rpcstatus.Error(rpcstatus.ResourceExhausted, "Exceeded Segments Limit")
	errBandwidthLimit = rpcstatus.Error(rpcstatus.ResourceExhausted, "Exceeded Usage Limit")
)

// Multipart limits of the real satellite (its MinPartSize and MaxNumberOfParts defaults).
const (
	minPartSize      = 5 * memory.MiB
	maxNumberOfParts = 10000
)

// validateParts applies the real satellite's multipart rules at commit, with its texts: at most
// maxNumberOfParts parts, and every part but the last (the highest part number) at least
// minPartSize of plain data. segments are sorted by position.
func validateParts(segments []*store.Segment) error {
	sizes := map[int32]memory.Size{}
	var parts []int32
	for _, s := range segments {
		if _, ok := sizes[s.Part]; !ok {
			parts = append(parts, s.Part)
		}
		sizes[s.Part] += memory.Size(s.PlainSize)
	}
	if len(parts) > maxNumberOfParts {
		return errFailedPrecondition("exceeded maximum number of parts: %d", maxNumberOfParts)
	}
	for _, part := range parts[:max(len(parts)-1, 0)] {
		if sizes[part] < minPartSize {
			return errFailedPrecondition("size of part number %d is below minimum threshold, got: %s, min: %s",
				part, sizes[part], minPartSize)
		}
	}
	return nil
}

// errFailedPrecondition is the real satellite's answer to a refused commit (its metabase's class).
func errFailedPrecondition(format string, args ...any) error {
	return rpcstatus.Error(rpcstatus.FailedPrecondition, "metabase: failed precondition: "+fmt.Sprintf(format, args...))
}

// errUnimplemented refuses a request field the local network does not implement, naming it:
// ignoring it would answer differently from production without saying so.
func errUnimplemented(field string) error {
	return rpcstatus.Errorf(rpcstatus.Unimplemented, "%s is not implemented by the local network", field)
}

// Lite requests (order limits the client signs itself) and server-side copies of downloads are
// for uplinks the real satellite trusts; the local network trusts none.
func refuseTrustedOnly(lite, serverSideCopy bool) error {
	switch {
	case serverSideCopy:
		return errInvalid("ServerSideCopy flag is only allowed for trusted uplink clients")
	case lite:
		return errUnimplemented("LiteRequest")
	}
	return nil
}
