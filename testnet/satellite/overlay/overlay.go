// Package overlay is the satellite's knowledge of its storage nodes (production calls this part
// the overlay): which nodes exist, where they listen, and which of them get a new segment's
// pieces. The metainfo endpoint selects nodes and addresses order limits with it; garbage
// collection sends each node its retain filter. The running node itself is storagenode.Peer.
package overlay

import (
	"math/rand/v2"

	"storj.io/common/storj"
)

// Node is a storage node as the satellite knows it: its ID and the address it serves on.
type Node struct {
	ID      storj.NodeID
	Address string // host:port
}

// Nodes is the satellite's fixed set of storage nodes.
type Nodes []Node

// Address returns the address of the node with id, and false for a node the satellite does not know.
func (nodes Nodes) Address(id storj.NodeID) (string, bool) {
	for _, n := range nodes {
		if n.ID == id {
			return n.Address, true
		}
	}
	return "", false
}

// Select picks up to count distinct nodes at random, skipping excluded ones.
func (nodes Nodes) Select(count int, exclude map[storj.NodeID]bool) []Node {
	candidates := make([]Node, 0, len(nodes))
	for _, n := range nodes {
		if !exclude[n.ID] {
			candidates = append(candidates, n)
		}
	}
	rand.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	if len(candidates) > count {
		candidates = candidates[:count]
	}
	return candidates
}
