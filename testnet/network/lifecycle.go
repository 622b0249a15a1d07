package network

import (
	"context"
	"errors"
	"fmt"

	"testnet/satellite"
	"testnet/storagenode"
)

// ProjectLimits cap a new project; 0 means unlimited.
type ProjectLimits = satellite.ProjectLimits

// CreateProject creates a project and returns its API key and an access grant with the network's
// passphrase.
func (n *Network) CreateProject(ctx context.Context, limits ProjectLimits) (apiKey, accessGrant string, err error) {
	sat, err := n.runningSatellite()
	if err != nil {
		return "", "", err
	}
	if apiKey, err = sat.CreateProject(ctx, limits); err != nil {
		return "", "", err
	}
	if accessGrant, err = n.requestAccess(ctx, apiKey); err != nil {
		return "", "", err
	}
	return apiKey, accessGrant, nil
}

// CollectGarbage runs the satellite's garbage collection now.
func (n *Network) CollectGarbage(ctx context.Context) error {
	sat, err := n.runningSatellite()
	if err != nil {
		return err
	}
	return sat.CollectGarbage(ctx)
}

// Tally runs the satellite's accounting pass now: data deleted since the last pass stops counting
// against its project's storage and segment limits.
func (n *Network) Tally(ctx context.Context) error {
	sat, err := n.runningSatellite()
	if err != nil {
		return err
	}
	return sat.Tally(ctx)
}

// ErrStopped is returned for operations on a stopped peer.
var ErrStopped = errors.New("stopped")

func (n *Network) runningSatellite() (*satellite.Satellite, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.satellite == nil {
		return nil, fmt.Errorf("satellite: %w", ErrStopped)
	}
	return n.satellite, nil
}

// StopSatellite stops the satellite and closes its database.
func (n *Network) StopSatellite() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.satellite == nil {
		return nil
	}
	err := n.satServer.stop()
	err = errors.Join(err, n.satellite.Close())
	n.satellite = nil
	return err
}

// StartSatellite reopens the satellite's state and serves it on the same port.
func (n *Network) StartSatellite(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.satellite != nil {
		return nil
	}
	sat, err := restartPeer(&n.satServer, func() (*satellite.Satellite, error) { return satellite.New(ctx, n.satConfig) })
	if err != nil {
		return err
	}
	n.satellite = sat
	return nil
}

// NodeInfo is a storage node's ID and address.
type NodeInfo struct {
	ID      string `json:"id"`
	Address string `json:"address"`
}

// Nodes lists the storage nodes.
func (n *Network) Nodes() []NodeInfo {
	var nodes []NodeInfo
	for _, runner := range n.nodes {
		nodes = append(nodes, NodeInfo{ID: runner.config.Identity.ID.String(), Address: runner.server.addr})
	}
	return nodes
}

func (n *Network) nodeRunner(i int) (*nodeRunner, error) {
	if i < 0 || i >= len(n.nodes) {
		return nil, fmt.Errorf("no node %d: nodes are 0..%d", i, len(n.nodes)-1)
	}
	return n.nodes[i], nil
}

// StopNode stops storage node i (0-based); its pieces stay on disk.
func (n *Network) StopNode(i int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	runner, err := n.nodeRunner(i)
	if err != nil || runner.node == nil {
		return err
	}
	err = errors.Join(runner.server.stop(), runner.node.Close())
	runner.node = nil
	return err
}

// StartNode starts storage node i again on the same port and data.
func (n *Network) StartNode(i int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	runner, err := n.nodeRunner(i)
	if err != nil || runner.node != nil {
		return err
	}
	node, err := restartPeer(&runner.server, func() (*storagenode.Peer, error) { return storagenode.New(runner.config) })
	if err != nil {
		return err
	}
	runner.node = node
	return nil
}

// Close stops every peer and releases the data directory.
func (n *Network) Close() error {
	var errs []error
	for i := range n.nodes {
		errs = append(errs, n.StopNode(i))
	}
	errs = append(errs, n.StopSatellite())
	errs = append(errs, n.authServer.stop(), n.authTLSServer.stop())
	if n.auth != nil {
		errs = append(errs, n.auth.Close())
	}
	if n.lock != nil {
		errs = append(errs, n.lock.Close())
		n.lock = nil
	}
	return errors.Join(errs...)
}
