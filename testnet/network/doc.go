// Package network starts and controls a whole local Storj network in the calling process: one
// satellite, N storage nodes and the auth service, each serving on 127.0.0.1, with all state
// (identities, satellite database, pieces, the auth service's records, the chosen ports) under
// one data directory. Starting again on the same directory brings back the same network: same
// identities, ports, API key and stored objects.
//
// The launcher (cmd/testnet) is one user of this package; any Go program or test can embed the
// network the same way:
//
//	net, err := network.Start(ctx, network.Config{DataDir: dir, Nodes: 4})
//	if err != nil {
//		return err
//	}
//	defer net.Close()
//	access, err := uplink.ParseAccess(net.AccessGrant())
//	// ... open a project with storj.io/uplink and use it ...
//
// Go tests should use the helpers of package networktest (testnet/network/networktest), which
// start a network in t.TempDir(), fail the test on errors and close it in t.Cleanup.
//
// A data directory is locked while a network runs on it: a second Start on the same directory
// fails instead of sharing state. The methods of Network are safe for concurrent use; the
// satellite and each node can be stopped and started again to test how clients behave when a
// peer is gone.
package network
