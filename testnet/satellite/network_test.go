package satellite_test

import (
	"context"
	"io/fs"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storj.io/uplink"

	"testnet/internal/peer"
	"testnet/satellite"
	"testnet/satellite/overlay"
	"testnet/storagenode"
)

// network is one satellite and some storage nodes on 127.0.0.1 for a test.
type network struct {
	t         *testing.T
	ctx       context.Context
	sat       *satellite.Satellite
	satDir    string
	satAddr   string
	satCfg    satellite.Config
	stopSat   context.CancelFunc
	satDone   chan error
	nodeStops []context.CancelFunc
	nodeLis   []string
	nodes     []*storagenode.Peer
	nodeDirs  []string
}

func listen(t *testing.T, addr string) net.Listener {
	t.Helper()
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return lis
}

// newNetwork starts nodeCount storage nodes and a satellite that knows them.
func newNetwork(t *testing.T, nodeCount int) *network {
	t.Helper()
	ctx := context.Background()
	satIdent, err := peer.LoadOrCreateIdentity(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	n := &network{t: t, ctx: ctx, satDir: t.TempDir()}
	var nodes []overlay.Node
	for i := 0; i < nodeCount; i++ {
		ident, err := peer.LoadOrCreateIdentity(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		n.nodeDirs = append(n.nodeDirs, dir)
		node, err := storagenode.New(storagenode.Config{DataDir: dir, Identity: ident, Satellite: satIdent.PeerIdentity()})
		if err != nil {
			t.Fatal(err)
		}
		lis := listen(t, "127.0.0.1:0")
		n.nodeLis = append(n.nodeLis, lis.Addr().String())
		n.nodes = append(n.nodes, node)
		n.nodeStops = append(n.nodeStops, n.serveNode(node, lis))
		nodes = append(nodes, overlay.Node{ID: node.ID(), Address: lis.Addr().String()})
	}
	n.satCfg = satellite.Config{DataDir: n.satDir, Identity: satIdent, Nodes: nodes}
	n.startSatellite("127.0.0.1:0")
	t.Cleanup(func() {
		n.stopSatellite()
		for _, stop := range n.nodeStops {
			stop()
		}
	})
	return n
}

func (n *network) serveNode(node *storagenode.Peer, lis net.Listener) context.CancelFunc {
	ctx, cancel := context.WithCancel(n.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = node.Serve(ctx, lis)
	}()
	return func() { cancel(); <-done }
}

// stopNode stops node i (its pieces stay on disk).
func (n *network) stopNode(i int) {
	n.nodeStops[i]()
	n.nodeStops[i] = func() {}
}

func (n *network) startSatellite(addr string) {
	n.t.Helper()
	sat, err := satellite.New(n.ctx, n.satCfg)
	if err != nil {
		n.t.Fatal(err)
	}
	lis := listen(n.t, addr)
	n.sat, n.satAddr = sat, lis.Addr().String()
	ctx, cancel := context.WithCancel(n.ctx)
	n.stopSat, n.satDone = cancel, make(chan error, 1)
	go func() { n.satDone <- sat.Serve(ctx, lis) }()
}

func (n *network) stopSatellite() {
	if n.stopSat == nil {
		return
	}
	n.stopSat()
	if err := <-n.satDone; err != nil {
		n.t.Errorf("satellite serve: %v", err)
	}
	if err := n.sat.Close(); err != nil {
		n.t.Errorf("satellite close: %v", err)
	}
	n.stopSat = nil
}

// restartSatellite stops the satellite and starts a new one on the same DataDir and address.
func (n *network) restartSatellite() {
	addr := n.satAddr
	n.stopSatellite()
	n.startSatellite(addr)
}

func (n *network) nodeURL() string { return n.sat.ID().String() + "@" + n.satAddr }

// access returns an access grant for apiKey (the default project's if empty).
func (n *network) access(apiKey string) *uplink.Access {
	n.t.Helper()
	if apiKey == "" {
		var err error
		if apiKey, err = n.sat.DefaultAPIKey(n.ctx); err != nil {
			n.t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(n.ctx, 30*time.Second)
	defer cancel()
	access, err := uplink.Config{}.RequestAccessWithPassphrase(ctx, n.nodeURL(), apiKey, "passphrase")
	if err != nil {
		n.t.Fatalf("request access: %v", err)
	}
	return access
}

// project opens the project of an access (closed when the test ends) and creates the buckets
// given in it.
func (n *network) project(access *uplink.Access, buckets ...string) *uplink.Project {
	n.t.Helper()
	project, err := uplink.OpenProject(n.ctx, access)
	if err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() { _ = project.Close() })
	for _, bucket := range buckets {
		if _, err := project.CreateBucket(n.ctx, bucket); err != nil {
			n.t.Fatalf("create bucket %s: %v", bucket, err)
		}
	}
	return project
}

// pieceCount counts the committed piece files on all nodes.
func (n *network) pieceCount() int {
	n.t.Helper()
	count := 0
	for _, dir := range n.nodeDirs {
		err := filepath.WalkDir(filepath.Join(dir, "pieces"), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".piece") {
				count++
			}
			return nil
		})
		if err != nil {
			n.t.Fatal(err)
		}
	}
	return count
}
