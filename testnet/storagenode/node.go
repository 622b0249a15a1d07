// Package storagenode is a storage node of the local network: it stores erasure-coded pieces as
// files and serves the piecestore DRPC service the uplink uses, trusting a single satellite.
package storagenode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"storj.io/common/identity"
	"storj.io/common/pb"
	"storj.io/common/signing"
	"storj.io/common/storj"
	"storj.io/drpc/drpcmux"

	"testnet/internal/peer"
)

// Config describes a storage node.
type Config struct {
	// DataDir holds the pieces; it survives restarts.
	DataDir string
	// Identity is the node's own identity.
	Identity *identity.FullIdentity
	// Satellite is the only satellite whose order limits, deletes and retains are accepted.
	Satellite *identity.PeerIdentity
}

// Peer is a running storage node: its piece store and the piecestore service over it. The
// satellite knows a node as an overlay.Node (ID and address); a Peer is the node itself.
// Serve may be called again after it returned (a restart).
type Peer struct {
	pb.DRPCPiecestoreUnimplementedServer

	ident           *identity.FullIdentity
	satellite       *identity.PeerIdentity
	satelliteSignee signing.Signee
	signer          signing.Signer
	store           *pieceStore
	serials         usedSerials
	mux             *drpcmux.Mux
}

// New creates a storage node over cfg.DataDir.
func New(cfg Config) (*Peer, error) {
	if cfg.Identity == nil || cfg.Satellite == nil {
		return nil, errors.New("storagenode: identity and trusted satellite are required")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("storagenode: create data dir: %w", err)
	}
	store, err := newPieceStore(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("storagenode: %w", err)
	}
	node := &Peer{
		ident:           cfg.Identity,
		satellite:       cfg.Satellite,
		satelliteSignee: signing.SigneeFromPeerIdentity(cfg.Satellite),
		signer:          signing.SignerFromFullIdentity(cfg.Identity),
		store:           store,
		mux:             drpcmux.New(),
	}
	if err := pb.DRPCRegisterPiecestore(node.mux, node); err != nil {
		return nil, fmt.Errorf("storagenode: register piecestore: %w", err)
	}
	return node, nil
}

// ID is the node's ID.
func (n *Peer) ID() storj.NodeID { return n.ident.ID }

// Serve serves the piecestore on lis until ctx ends; lis is closed on return.
func (n *Peer) Serve(ctx context.Context, lis net.Listener) error {
	if err := peer.Serve(ctx, lis, n.ident, n.mux); err != nil {
		return fmt.Errorf("storagenode %s: %w", n.ident.ID, err)
	}
	return nil
}

// Close releases the node's resources. Uploads still running are dropped by their own streams.
func (n *Peer) Close() error { return nil }
