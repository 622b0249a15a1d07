// Package satellite is the satellite of the local Storj network: the metainfo DRPC service the
// unmodified storj.io/uplink client talks to, its state in one bbolt file under DataDir, and
// garbage collection of pieces on the storage nodes.
package satellite

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"storj.io/common/identity"
	"storj.io/common/pb"
	"storj.io/common/rpc"
	"storj.io/common/storj"
	"storj.io/common/uuid"
	"storj.io/drpc/drpcmux"

	"testnet/internal/peer"
	"testnet/satellite/accounting"
	"testnet/satellite/apikeys"
	"testnet/satellite/gc"
	"testnet/satellite/metainfo"
	"testnet/satellite/overlay"
	"testnet/satellite/store"
	"testnet/satellite/zombies"
)

// Config configures a satellite.
type Config struct {
	DataDir    string // all satellite state (database) lives here; created if missing
	Identity   *identity.FullIdentity
	Nodes      []overlay.Node
	Redundancy storj.RedundancyScheme // zero value → 2/3/4/5, share size 256, Reed-Solomon
	GCInterval time.Duration          // 0 → 30s
	// TallyInterval is how often the accounting pass recounts stored data (0 → 1h, production's).
	TallyInterval time.Duration
	// ZombieDeletionPeriod is how long a pending upload may go without a new segment before it
	// is deleted (0 → 24h, production's); ZombieDeletionInterval is how often they are looked
	// for (0 → production's 15h, or the period if that is shorter).
	ZombieDeletionPeriod   time.Duration
	ZombieDeletionInterval time.Duration
}

// ProjectLimits caps a project; 0 means unlimited. A zero value is an unlimited project (the
// network's default project); ProductionLimits has the real satellite's defaults.
type ProjectLimits struct {
	StorageBytes, BandwidthBytes, Segments int64
	// Buckets is the most buckets the project may have.
	Buckets int64
	// RequestRate is the requests per second the project may make, RequestBurst how many at once;
	// the project is rate limited only when both are positive.
	RequestRate, RequestBurst int64
}

// ProductionLimits are the real satellite's default bucket and request-rate limits (100 buckets,
// 100 requests a second with bursts of as many), with no storage, bandwidth or segment cap.
func ProductionLimits() ProjectLimits {
	return ProjectLimits{
		Buckets:      metainfo.DefaultMaxBuckets,
		RequestRate:  metainfo.DefaultRequestRate,
		RequestBurst: metainfo.DefaultRequestRate,
	}
}

// Satellite is a running satellite.
type Satellite struct {
	cfg       Config
	db        *store.DB
	endpoint  *metainfo.Endpoint
	collector *gc.Collector
	mu        sync.Mutex // serializes project creation
}

const (
	metaDefaultKey = "default_api_key"
	metaIDSecret   = "id_secret"
)

// New opens the satellite's database (creating the default project on first start).
func New(ctx context.Context, cfg Config) (*Satellite, error) {
	if cfg.Identity == nil {
		return nil, errors.New("satellite: identity is required")
	}
	if cfg.Redundancy == (storj.RedundancyScheme{}) {
		cfg.Redundancy = storj.RedundancyScheme{
			Algorithm: storj.ReedSolomon, ShareSize: 256,
			RequiredShares: 2, RepairShares: 3, OptimalShares: 4, TotalShares: 5,
		}
	}
	if cfg.GCInterval <= 0 {
		cfg.GCInterval = 30 * time.Second
	}
	if cfg.TallyInterval <= 0 {
		cfg.TallyInterval = accounting.DefaultInterval
	}
	if cfg.ZombieDeletionPeriod <= 0 {
		cfg.ZombieDeletionPeriod = zombies.DefaultPeriod
	}
	if cfg.ZombieDeletionInterval <= 0 {
		cfg.ZombieDeletionInterval = min(zombies.DefaultInterval, cfg.ZombieDeletionPeriod)
	}
	db, err := store.Open(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	var secret []byte
	err = db.Update(func(tx *store.Tx) error {
		secret = tx.Meta(metaIDSecret)
		if secret == nil {
			secret = make([]byte, 32)
			if _, err := rand.Read(secret); err != nil {
				return err
			}
			return tx.SetMeta(metaIDSecret, secret)
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("satellite: load id secret: %w", err)
	}
	tlsOptions, err := peer.TLSOptions(cfg.Identity)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	s := &Satellite{
		cfg: cfg,
		db:  db,
		endpoint: metainfo.New(db, metainfo.Config{
			Identity: cfg.Identity, Nodes: cfg.Nodes, Redundancy: cfg.Redundancy, IDSecret: secret,
		}),
		collector: gc.New(db, rpc.NewDefaultDialer(tlsOptions), cfg.Nodes),
	}
	if _, err := s.DefaultAPIKey(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// ID is the satellite's node ID.
func (s *Satellite) ID() storj.NodeID { return s.cfg.Identity.ID }

// Serve serves the metainfo service on lis, and collects garbage, tallies and deletes zombie
// uploads periodically, until ctx ends. It may be called again after it returned.
func (s *Satellite) Serve(ctx context.Context, lis net.Listener) error {
	mux := drpcmux.New()
	if err := pb.DRPCRegisterMetainfo(mux, s.endpoint); err != nil {
		_ = lis.Close()
		return fmt.Errorf("satellite: register metainfo: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		// failures (a node down) wait for the next round
		every(ctx, s.cfg.GCInterval, func(time.Time) { _ = s.collector.Collect(ctx) })
	}()
	// A failed pass is retried at the next tick, like garbage collection.
	go func() {
		defer wg.Done()
		every(ctx, s.cfg.TallyInterval, func(now time.Time) { _ = accounting.Tally(s.db, now) })
	}()
	go func() {
		defer wg.Done()
		every(ctx, s.cfg.ZombieDeletionInterval, func(now time.Time) {
			_, _ = zombies.Delete(s.db, now, s.cfg.ZombieDeletionPeriod)
		})
	}()
	err := peer.Serve(ctx, lis, s.cfg.Identity, mux)
	cancel()
	wg.Wait()
	return err
}

// every calls fn at each tick of interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func(now time.Time)) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			fn(now)
		}
	}
}

// Close closes the database; call it after Serve returned.
func (s *Satellite) Close() error { return s.db.Close() }

// CreateProject creates a project with its own salt and returns its serialized API key.
func (s *Satellite) CreateProject(ctx context.Context, limits ProjectLimits) (apiKey string, err error) {
	err = s.db.Update(func(tx *store.Tx) error {
		apiKey, err = createProject(tx, limits)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("satellite: create project: %w", err)
	}
	return apiKey, nil
}

func createProject(tx *store.Tx, limits ProjectLimits) (string, error) {
	id, err := uuid.New()
	if err != nil {
		return "", err
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	err = tx.PutProject(&store.Project{
		ID: id, Salt: salt, CreatedAt: time.Now(),
		Limits: store.Limits{
			StorageBytes: limits.StorageBytes, BandwidthBytes: limits.BandwidthBytes, Segments: limits.Segments,
			Buckets: limits.Buckets, RequestRate: limits.RequestRate, RequestBurst: limits.RequestBurst,
		},
	})
	if err != nil {
		return "", err
	}
	return apikeys.Create(tx, id)
}

// DefaultAPIKey returns the key of the project created on first start (stable across restarts).
func (s *Satellite) DefaultAPIKey(ctx context.Context) (apiKey string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	err = s.db.Update(func(tx *store.Tx) error {
		if key := tx.Meta(metaDefaultKey); key != nil {
			apiKey = string(key)
			return nil
		}
		apiKey, err = createProject(tx, ProjectLimits{})
		if err != nil {
			return err
		}
		return tx.SetMeta(metaDefaultKey, []byte(apiKey))
	})
	if err != nil {
		return "", fmt.Errorf("satellite: default api key: %w", err)
	}
	return apiKey, nil
}

// Tally runs the accounting pass now: every project's storage and segment usage becomes what it
// stores, so data deleted since the last pass stops counting against its limits.
func (s *Satellite) Tally(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return accounting.Tally(s.db, time.Now())
}

// CollectGarbage now tells every node which pieces to keep; the rest get deleted.
func (s *Satellite) CollectGarbage(ctx context.Context) error {
	if err := s.collector.Collect(ctx); err != nil {
		return fmt.Errorf("satellite: collect garbage: %w", err)
	}
	return nil
}
