package overlay

import (
	"fmt"
	"testing"

	"storj.io/common/storj"
)

func testNodes(n int) Nodes {
	nodes := make(Nodes, n)
	for i := range nodes {
		nodes[i] = Node{ID: storj.NodeID{byte(i + 1)}, Address: fmt.Sprintf("127.0.0.1:%d", 7000+i)}
	}
	return nodes
}

func TestAddress(t *testing.T) {
	nodes := testNodes(3)
	if address, ok := nodes.Address(nodes[1].ID); !ok || address != nodes[1].Address {
		t.Fatalf("Address(known) = %q, %v; want %q, true", address, ok, nodes[1].Address)
	}
	if address, ok := nodes.Address(storj.NodeID{0xff}); ok {
		t.Fatalf("Address(unknown) = %q, true; want false", address)
	}
}

func TestSelectDistinctSkippingExcluded(t *testing.T) {
	nodes := testNodes(5)
	exclude := map[storj.NodeID]bool{nodes[0].ID: true, nodes[3].ID: true}
	for range 20 {
		selected := nodes.Select(2, exclude)
		if len(selected) != 2 {
			t.Fatalf("Select(2) returned %d nodes", len(selected))
		}
		if selected[0].ID == selected[1].ID {
			t.Fatalf("Select returned %s twice", selected[0].ID)
		}
		for _, n := range selected {
			if exclude[n.ID] {
				t.Fatalf("Select returned excluded node %s", n.ID)
			}
		}
	}
	if selected := nodes.Select(10, exclude); len(selected) != 3 {
		t.Fatalf("Select(10) with 3 candidates returned %d nodes", len(selected))
	}
}
