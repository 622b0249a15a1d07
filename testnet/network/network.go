package network

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"storj.io/common/identity"
	"storj.io/common/storj"
	"storj.io/uplink"

	"testnet/authservice"
	"testnet/internal/peer"
	"testnet/satellite"
	"testnet/satellite/overlay"
	"testnet/storagenode"
)

// Config describes a network.
type Config struct {
	// DataDir holds identities, satellite state, pieces and the auth service's records.
	DataDir string
	// Nodes is the number of storage nodes (default 5).
	Nodes int
	// Passphrase is used for the access grants the network hands out (default "testnet").
	Passphrase string
	// AuthEndpoint is the S3 endpoint the auth service returns (default authservice.DefaultEndpoint).
	AuthEndpoint string
	// GCInterval is the satellite's garbage collection period (0: the satellite's default).
	GCInterval time.Duration
	// TallyInterval is how often the accounting pass recounts what projects store, freeing the
	// quota of deleted data (0: the satellite's default, production's hour).
	TallyInterval time.Duration
	// ZombieDeletionPeriod is how long a pending upload may go without a new segment before it is
	// deleted (0: the satellite's default, production's 24 hours).
	ZombieDeletionPeriod time.Duration
}

// Defaults of Config.
const (
	DefaultNodes      = 5
	DefaultPassphrase = "testnet"
)

// Network is a running local network. Its methods are safe for concurrent use.
type Network struct {
	config Config
	lock   *os.File

	mu            sync.Mutex
	satIdentity   *identity.FullIdentity
	satConfig     satellite.Config
	satellite     *satellite.Satellite // nil while stopped
	satServer     server
	nodes         []*nodeRunner
	auth          *authservice.Service
	authServer    server
	authTLSServer server
	apiKey        string
	accessGrant   string
	controlPort   int
}

type nodeRunner struct {
	config storagenode.Config
	node   *storagenode.Peer // nil while stopped
	server server
}

// Start loads or creates everything under cfg.DataDir and starts all peers.
func Start(ctx context.Context, cfg Config) (_ *Network, err error) {
	if cfg.Nodes == 0 {
		cfg.Nodes = DefaultNodes
	}
	if cfg.Nodes < 0 {
		return nil, fmt.Errorf("invalid node count %d", cfg.Nodes)
	}
	if cfg.Passphrase == "" {
		cfg.Passphrase = DefaultPassphrase
	}
	if cfg.DataDir, err = filepath.Abs(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	n := &Network{config: cfg, lock: lock}
	defer func() {
		if err != nil {
			_ = n.Close()
		}
	}()

	saved, err := loadPorts(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	listeners, err := n.listen(saved)
	if err != nil {
		return nil, err
	}
	defer listeners.closeUnused()

	if err := n.createPeers(ctx, listeners.nodeAddrs()); err != nil {
		return nil, err
	}
	chosen := listeners.ports()
	chosen.Control = saved.Control // the launcher's, chosen later
	if err := savePorts(cfg.DataDir, chosen); err != nil {
		return nil, err
	}
	n.controlPort = saved.Control
	n.serve(listeners)

	if n.apiKey, err = n.satellite.DefaultAPIKey(ctx); err != nil {
		return nil, err
	}
	if n.accessGrant, err = n.requestAccess(ctx, n.apiKey); err != nil {
		return nil, err
	}
	return n, nil
}

// createPeers loads identities and creates the satellite, the nodes and the auth service.
func (n *Network) createPeers(ctx context.Context, nodeAddrs []string) error {
	dir := n.config.DataDir
	var err error
	if n.satIdentity, err = peer.LoadOrCreateIdentity(ctx, filepath.Join(dir, "satellite")); err != nil {
		return err
	}
	var satNodes []overlay.Node
	for i, addr := range nodeAddrs {
		nodeDir := filepath.Join(dir, "node"+strconv.Itoa(i+1))
		ident, err := peer.LoadOrCreateIdentity(ctx, nodeDir)
		if err != nil {
			return err
		}
		runner := &nodeRunner{config: storagenode.Config{
			DataDir:   nodeDir,
			Identity:  ident,
			Satellite: n.satIdentity.PeerIdentity(),
		}}
		runner.server.name = "node" + strconv.Itoa(i+1)
		if runner.node, err = storagenode.New(runner.config); err != nil {
			return err
		}
		n.nodes = append(n.nodes, runner)
		satNodes = append(satNodes, overlay.Node{ID: ident.ID, Address: addr})
	}

	n.satConfig = satellite.Config{
		DataDir:    filepath.Join(dir, "satellite"),
		Identity:   n.satIdentity,
		Nodes:      satNodes,
		Redundancy: redundancyFor(len(satNodes)),
		GCInterval: n.config.GCInterval,

		TallyInterval:        n.config.TallyInterval,
		ZombieDeletionPeriod: n.config.ZombieDeletionPeriod,
	}
	n.satServer.name = "satellite"
	if n.satellite, err = satellite.New(ctx, n.satConfig); err != nil {
		return err
	}

	n.auth, err = authservice.New(authservice.Config{
		DataDir:   filepath.Join(dir, "auth"),
		Endpoint:  n.config.AuthEndpoint,
		Satellite: n.satIdentity.ID,
	})
	if err != nil {
		return err
	}
	n.authServer.name, n.authTLSServer.name = "auth", "auth (TLS)"
	return nil
}

// redundancyFor returns the satellite's default (2/3/4/5) for 5 nodes or more, and for fewer
// nodes a scheme using them all that still tolerates one node down where there are several.
func redundancyFor(nodes int) storj.RedundancyScheme {
	if nodes >= 5 {
		return storj.RedundancyScheme{}
	}
	optimal := max(1, nodes-1)
	required := max(1, optimal-1)
	return storj.RedundancyScheme{
		Algorithm:      storj.ReedSolomon,
		ShareSize:      256,
		RequiredShares: int16(required),
		RepairShares:   int16(required),
		OptimalShares:  int16(optimal),
		TotalShares:    int16(nodes),
	}
}

// serve starts every peer on its listener.
func (n *Network) serve(ls *startListeners) {
	sat := n.satellite
	n.satServer.start(ls.satellite, sat.Serve)
	ls.satellite = nil
	for i, runner := range n.nodes {
		runner.server.start(ls.nodes[i], runner.node.Serve)
		ls.nodes[i] = nil
	}
	n.authServer.start(ls.auth, func(ctx context.Context, lis net.Listener) error { return n.auth.Serve(ctx, lis, nil) })
	n.authTLSServer.start(ls.authTLS, func(ctx context.Context, lis net.Listener) error { return n.auth.Serve(ctx, nil, lis) })
	ls.auth, ls.authTLS = nil, nil
}

// requestAccess builds an access grant for apiKey with the network's passphrase, as a user would.
func (n *Network) requestAccess(ctx context.Context, apiKey string) (string, error) {
	access, err := uplink.Config{}.RequestAccessWithPassphrase(ctx, n.SatelliteURL(), apiKey, n.config.Passphrase)
	if err != nil {
		return "", fmt.Errorf("request access grant: %w", err)
	}
	grant, err := access.Serialize()
	if err != nil {
		return "", fmt.Errorf("serialize access grant: %w", err)
	}
	return grant, nil
}

// SatelliteID is the satellite's node ID.
func (n *Network) SatelliteID() storj.NodeID { return n.satIdentity.ID }

// SatelliteURL is "id@127.0.0.1:port", the address in access grants.
func (n *Network) SatelliteURL() string {
	return n.satIdentity.ID.String() + "@" + n.satServer.addr
}

// APIKey is the default project's API key (stable across restarts).
func (n *Network) APIKey() string { return n.apiKey }

// AccessGrant is the default project's access grant with the network's passphrase.
func (n *Network) AccessGrant() string { return n.accessGrant }

// Passphrase is the passphrase of the network's access grants.
func (n *Network) Passphrase() string { return n.config.Passphrase }

// DataDir is the absolute data directory.
func (n *Network) DataDir() string { return n.config.DataDir }

// NodeCount is the number of storage nodes.
func (n *Network) NodeCount() int { return len(n.nodes) }

// NodeDir is the data directory of node i (0-based).
func (n *Network) NodeDir(i int) string { return n.nodes[i].config.DataDir }

// AuthAddress and AuthTLSAddress are the auth service's plain and TLS addresses.
func (n *Network) AuthAddress() string    { return n.authServer.addr }
func (n *Network) AuthTLSAddress() string { return n.authTLSServer.addr }

// AuthCertificatePEM is the auth service's TLS certificate and AuthCertificatePath its file.
func (n *Network) AuthCertificatePEM() []byte  { return n.auth.CertificatePEM() }
func (n *Network) AuthCertificatePath() string { return n.auth.CertificatePath() }

// SetControlPort records the control endpoint's port so that a restart reuses it.
func (n *Network) SetControlPort(port int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.controlPort = port
	saved, err := loadPorts(n.config.DataDir)
	if err != nil {
		return err
	}
	saved.Control = port
	return savePorts(n.config.DataDir, saved)
}

// SavedControlPort is the control port of the previous run (0 if none).
func (n *Network) SavedControlPort() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.controlPort
}
