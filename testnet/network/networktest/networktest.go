// Package networktest starts a local network inside a Go test, as net/http/httptest starts a
// server: a satellite, storage nodes and the auth service on 127.0.0.1 in the test's temporary
// directory, closed when the test ends. Every helper fails the test instead of returning an error,
// so a test reads as the steps it takes:
//
//	func TestRoundTrip(t *testing.T) {
//		net := networktest.Start(t, 4)
//		project := net.OpenProject(net.Access())
//		// ... use project (a *storj.io/uplink.Project) ...
//	}
//
// The embedded *network.Network is there for anything the helpers do not wrap.
package networktest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"storj.io/uplink"

	"testnet/network"
)

// Network is a running network owned by a test.
type Network struct {
	*network.Network
	t      *testing.T
	config network.Config
}

// Start starts a network with n storage nodes; it is closed by t.Cleanup.
func Start(t *testing.T, n int) *Network {
	t.Helper()
	config := network.Config{DataDir: t.TempDir(), Nodes: n, GCInterval: time.Hour}
	net := &Network{t: t, config: config}
	net.start()
	t.Cleanup(func() {
		if err := net.Network.Close(); err != nil {
			t.Errorf("close network: %v", err)
		}
	})
	return net
}

func (n *Network) start() {
	n.t.Helper()
	started, err := network.Start(context.Background(), n.config)
	if err != nil {
		n.t.Fatalf("start network: %v", err)
	}
	n.Network = started
}

// Restart stops every peer and starts the whole network again on the same directory and ports.
func (n *Network) Restart() {
	n.t.Helper()
	if err := n.Network.Close(); err != nil {
		n.t.Fatalf("stop network: %v", err)
	}
	n.start()
}

// StopNode stops node i, failing the test on error.
func (n *Network) StopNode(i int) {
	n.t.Helper()
	if err := n.Network.StopNode(i); err != nil {
		n.t.Fatalf("stop node %d: %v", i, err)
	}
}

// StartNode starts node i again, failing the test on error.
func (n *Network) StartNode(i int) {
	n.t.Helper()
	if err := n.Network.StartNode(i); err != nil {
		n.t.Fatalf("start node %d: %v", i, err)
	}
}

// RestartSatellite closes the satellite and opens it again on the same directory and port.
func (n *Network) RestartSatellite() {
	n.t.Helper()
	if err := n.Network.StopSatellite(); err != nil {
		n.t.Fatalf("stop satellite: %v", err)
	}
	if err := n.Network.StartSatellite(context.Background()); err != nil {
		n.t.Fatalf("start satellite: %v", err)
	}
}

// Access parses the default project's access grant.
func (n *Network) Access() *uplink.Access {
	n.t.Helper()
	access, err := uplink.ParseAccess(n.AccessGrant())
	if err != nil {
		n.t.Fatalf("parse access grant: %v", err)
	}
	return access
}

// NewProjectAccess creates a fresh project (with limits, 0 = none) and returns its access.
func (n *Network) NewProjectAccess(limits network.ProjectLimits) *uplink.Access {
	n.t.Helper()
	_, grant, err := n.CreateProject(context.Background(), limits)
	if err != nil {
		n.t.Fatalf("create project: %v", err)
	}
	access, err := uplink.ParseAccess(grant)
	if err != nil {
		n.t.Fatalf("parse access grant: %v", err)
	}
	return access
}

// OpenProject opens a project with access, closed by t.Cleanup, in which the buckets given exist
// (created when they do not).
func (n *Network) OpenProject(access *uplink.Access, buckets ...string) *uplink.Project {
	n.t.Helper()
	ctx := context.Background()
	project, err := uplink.Config{}.OpenProject(ctx, access)
	if err != nil {
		n.t.Fatalf("open project: %v", err)
	}
	n.t.Cleanup(func() { _ = project.Close() })
	for _, bucket := range buckets {
		if _, err := project.EnsureBucket(ctx, bucket); err != nil {
			n.t.Fatalf("ensure bucket %s: %v", bucket, err)
		}
	}
	return project
}

// RandomData returns size random bytes (the test fails if the system's random source does).
func RandomData(t *testing.T, size int) []byte {
	t.Helper()
	data := make([]byte, size)
	if _, err := rand.Read(data); err != nil {
		t.Fatalf("random data: %v", err)
	}
	return data
}
