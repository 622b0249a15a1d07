// Package authservice is the local network's edge auth service: it registers access grants and
// answers with S3-style credentials (EdgeAuth RegisterAccess over raw DRPC, plain or TLS).
package authservice

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"storj.io/common/grant"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/storj"
	"storj.io/drpc/drpcmux"
	"storj.io/drpc/drpcserver"
)

// Defaults of Config.
const (
	// DefaultEndpoint is the S3 endpoint returned with credentials. The local network runs no S3
	// gateway, so it is a reserved, never-resolving name (the one uplink-c's edge tests expect).
	DefaultEndpoint = "https://gateway.example"
	// DefaultMaxGrantSize bounds the serialized access grant, as the real service does.
	DefaultMaxGrantSize = 8 * 1024
)

// Config describes the auth service.
type Config struct {
	// DataDir holds the TLS certificate and the registered accesses.
	DataDir string
	// Endpoint is returned as the S3 endpoint; empty means DefaultEndpoint.
	Endpoint string
	// MaxGrantSize in characters; 0 means DefaultMaxGrantSize.
	MaxGrantSize int
	// Satellite, when set, is the only satellite whose grants are accepted.
	Satellite storj.NodeID
}

// Service is the auth service. Serve may be called again after it returned.
type Service struct {
	pb.DRPCEdgeAuthUnimplementedServer

	config  Config
	cert    tls.Certificate
	certPEM []byte
	records *recordStore
	mux     *drpcmux.Mux
}

// New loads or creates the service's certificate and store under cfg.DataDir.
func New(cfg Config) (*Service, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	if cfg.MaxGrantSize == 0 {
		cfg.MaxGrantSize = DefaultMaxGrantSize
	}
	records, err := newRecordStore(filepath.Join(cfg.DataDir, "accesses"))
	if err != nil {
		return nil, fmt.Errorf("authservice: %w", err)
	}
	cert, certPEM, err := loadOrCreateCertificate(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("authservice: %w", err)
	}
	service := &Service{config: cfg, cert: cert, certPEM: certPEM, records: records, mux: drpcmux.New()}
	if err := pb.DRPCRegisterEdgeAuth(service.mux, service); err != nil {
		return nil, fmt.Errorf("authservice: register EdgeAuth: %w", err)
	}
	return service, nil
}

// CertificatePEM is the TLS certificate clients should trust.
func (s *Service) CertificatePEM() []byte { return s.certPEM }

// CertificatePath is where CertificatePEM is kept.
func (s *Service) CertificatePath() string { return filepath.Join(s.config.DataDir, certFile) }

// Serve answers raw DRPC (no DRPC!!!1 header, no storj identity) on plain and, over standard TLS,
// on tlsListener, until ctx ends. Either listener may be nil; both are closed on return.
func (s *Service) Serve(ctx context.Context, plain, tlsListener net.Listener) error {
	server := drpcserver.New(s.mux)
	group, gctx := errgroup.WithContext(ctx)
	if plain != nil {
		group.Go(func() error { return server.Serve(gctx, plain) })
	}
	if tlsListener != nil {
		config := &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
		group.Go(func() error { return server.Serve(gctx, tls.NewListener(tlsListener, config)) })
	}
	err := group.Wait()
	if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("authservice: %w", err)
}

// Close releases the service's resources.
func (s *Service) Close() error { return nil }

// RegisterAccess stores a valid access grant and returns credentials for it.
func (s *Service) RegisterAccess(ctx context.Context, req *pb.EdgeRegisterAccessRequest) (*pb.EdgeRegisterAccessResponse, error) {
	if len(req.AccessGrant) > s.config.MaxGrantSize {
		return nil, rpcstatus.Errorf(rpcstatus.InvalidArgument, "access grant is too large: %d characters, at most %d", len(req.AccessGrant), s.config.MaxGrantSize)
	}
	access, err := grant.ParseAccess(req.AccessGrant)
	if err != nil {
		return nil, rpcstatus.Errorf(rpcstatus.InvalidArgument, "invalid access grant: %v", err)
	}
	if !s.config.Satellite.IsZero() && !strings.HasPrefix(access.SatelliteAddress, s.config.Satellite.String()+"@") {
		return nil, rpcstatus.Errorf(rpcstatus.InvalidArgument, "access grant is for satellite %q, not this network's", access.SatelliteAddress)
	}

	accessKeyID, err := newAccessKeyID()
	if err != nil {
		return nil, rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	secretKey, err := randomBase32(33) // 53 characters
	if err != nil {
		return nil, rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	rec := record{AccessGrant: req.AccessGrant, SecretKey: secretKey, Public: req.Public, CreatedAt: time.Now().UTC()}
	if err := s.records.put(accessKeyID, rec); err != nil {
		return nil, rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	return &pb.EdgeRegisterAccessResponse{
		AccessKeyId: accessKeyID,
		SecretKey:   secretKey,
		Endpoint:    s.config.Endpoint,
	}, nil
}

// Lookup returns the access grant and secret key registered under accessKeyID.
func (s *Service) Lookup(accessKeyID string) (accessGrant, secretKey string, err error) {
	rec, err := s.records.get(accessKeyID)
	if err != nil {
		return "", "", fmt.Errorf("authservice: %w", err)
	}
	return rec.AccessGrant, rec.SecretKey, nil
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newAccessKeyID is a version byte and 16 random bytes: 28 lowercase base32 characters, the
// shape of the real service's keys.
func newAccessKeyID() (string, error) {
	key := make([]byte, 17)
	key[0] = 1
	if _, err := rand.Read(key[1:]); err != nil {
		return "", fmt.Errorf("generate access key id: %w", err)
	}
	return lowerBase32.EncodeToString(key), nil
}

func randomBase32(n int) (string, error) {
	data := make([]byte, n)
	if _, err := rand.Read(data); err != nil {
		return "", fmt.Errorf("generate secret key: %w", err)
	}
	return lowerBase32.EncodeToString(data), nil
}
