package metainfo

import (
	"sync"
	"time"

	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// Request-rate defaults of the real satellite (its rate and upload limiter configuration): a
// project makes 100 requests a second with bursts of as many, and one object location takes a
// new upload once a second with bursts of 3.
const (
	DefaultRequestRate = 100
	uploadInterval     = time.Second
	uploadBurst        = 3
	// maxUploadLocations bounds the per-location upload state; full buckets are dropped first.
	maxUploadLocations = 10000
)

// errTooManyRequests is the text the client maps to ErrTooManyRequests (suffix match).
var errTooManyRequests = rpcstatus.Error(rpcstatus.ResourceExhausted, "Too Many Requests")

// tokenBucket admits events at rate per second with bursts of burst.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func newTokenBucket(rate, burst float64, now time.Time) *tokenBucket {
	return &tokenBucket{rate: rate, burst: burst, tokens: burst, last: now}
}

func (b *tokenBucket) refill(now time.Time) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(b.burst, b.tokens+elapsed*b.rate)
		b.last = now
	}
}

// allow takes a token if one is there.
func (b *tokenBucket) allow(now time.Time) bool {
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// rateLimiter keeps the request and upload buckets of the rate-limited projects. A project's
// limits never change after it was created, so its bucket is made once from its record.
type rateLimiter struct {
	mu       sync.Mutex
	projects map[uuid.UUID]*tokenBucket // nil value: the project is not rate limited
	uploads  map[string]*tokenBucket    // project|bucket|key of rate-limited projects
}

func newRateLimiter() *rateLimiter {
	return &rateLimiter{projects: map[uuid.UUID]*tokenBucket{}, uploads: map[string]*tokenBucket{}}
}

// projectBucket returns a project's request bucket (nil when unlimited), reading its limits the
// first time.
func (l *rateLimiter) projectBucket(db *store.DB, project uuid.UUID, now time.Time) (*tokenBucket, error) {
	if b, ok := l.projects[project]; ok {
		return b, nil
	}
	var limits store.Limits
	err := db.View(func(tx *store.Tx) error {
		p, err := tx.Project(project)
		if err == nil {
			limits = p.Limits
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var b *tokenBucket
	if limits.RequestRate > 0 && limits.RequestBurst > 0 {
		b = newTokenBucket(float64(limits.RequestRate), float64(limits.RequestBurst), now)
	}
	l.projects[project] = b
	return b, nil
}

// admitRequest takes one of the project's requests; refuse says whether running out is an error
// (the real satellite counts a commit against the rate but never refuses it).
func (l *rateLimiter) admitRequest(db *store.DB, project uuid.UUID, now time.Time, refuse bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, err := l.projectBucket(db, project, now)
	if err != nil {
		return errInternal(err)
	}
	if b != nil && !b.allow(now) && refuse {
		return errTooManyRequests
	}
	return nil
}

// admitUpload takes one upload to an object location of a rate-limited project.
func (l *rateLimiter) admitUpload(db *store.DB, project uuid.UUID, bucket string, key []byte, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, err := l.projectBucket(db, project, now); err != nil {
		return errInternal(err)
	} else if b == nil {
		return nil
	}
	location := string(project[:]) + bucket + "/" + string(key)
	b, ok := l.uploads[location]
	if !ok {
		if len(l.uploads) >= maxUploadLocations {
			l.dropFullUploads(now)
		}
		b = newTokenBucket(1/uploadInterval.Seconds(), uploadBurst, now)
		l.uploads[location] = b
	}
	if !b.allow(now) {
		return errTooManyRequests
	}
	return nil
}

// dropFullUploads forgets locations whose bucket refilled: a new one starts full anyway.
func (l *rateLimiter) dropFullUploads(now time.Time) {
	for location, b := range l.uploads {
		if b.refill(now); b.tokens >= b.burst {
			delete(l.uploads, location)
		}
	}
}
