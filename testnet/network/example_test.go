package network_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"storj.io/uplink"

	"testnet/network"
)

// Start a network of four nodes in a temporary directory and open a project on it.
func ExampleStart() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "network-example")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()

	net, err := network.Start(ctx, network.Config{DataDir: dir, Nodes: 4})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = net.Close() }()

	access, err := uplink.ParseAccess(net.AccessGrant())
	if err != nil {
		log.Fatal(err)
	}
	project, err := uplink.OpenProject(ctx, access)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = project.Close() }()
	bucket, err := project.EnsureBucket(ctx, "example")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("bucket:", bucket.Name)
	// Output: bucket: example
}
