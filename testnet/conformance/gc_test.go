package conformance

import (
	"context"
	"testing"

	"testnet/internal/testnetwork"
)

func nodeDirs(net *testnetwork.Network) []string {
	var dirs []string
	for i := 0; i < net.NodeCount(); i++ {
		dirs = append(dirs, net.NodeDir(i))
	}
	return dirs
}

// collectGarbage runs GC once the nodes finished or dropped every upload.
func collectGarbage(t *testing.T, net *testnetwork.Network) {
	t.Helper()
	waitUploadsSettled(t, nodeDirs(net))
	if err := net.CollectGarbage(context.Background()); err != nil {
		t.Fatalf("collect garbage: %v", err)
	}
}

// A cancelled upload may have reached nodes; after garbage collection no piece of it is left.
func TestCancelledUploadLeavesNoPieces(t *testing.T) {
	net := testnetwork.Start(t, 5)
	project := net.OpenProject(net.Access())
	ensureBucket(t, project, "cancel")

	up, err := project.UploadObject(context.Background(), "cancel", "object", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.Write(randomData(t, 2<<20)); err != nil {
		t.Fatal(err)
	}
	if err := up.Abort(); err != nil {
		t.Fatalf("abort: %v", err)
	}
	collectGarbage(t, net)
	if files := append(pieceFiles(t, nodeDirs(net)), filesUnder(nodeDirs(net), "tmp")...); len(files) != 0 {
		t.Fatalf("pieces left after a cancelled upload and GC: %v", files)
	}
}

// Pieces of a deleted object disappear from the nodes after garbage collection, while pieces
// of live objects stay.
func TestDeletedObjectPiecesCollected(t *testing.T) {
	net := testnetwork.Start(t, 5)
	project := net.OpenProject(net.Access())
	ensureBucket(t, project, "delete")
	kept := randomData(t, 100*1024)
	upload(t, project, "delete", "kept", kept)
	collectGarbage(t, net)
	keptPieces := len(pieceFiles(t, nodeDirs(net)))
	if keptPieces < 4 {
		t.Fatalf("%d pieces stored for one remote segment, want at least the optimal 4", keptPieces)
	}

	upload(t, project, "delete", "deleted", randomData(t, 100*1024))
	waitUploadsSettled(t, nodeDirs(net))
	if got := len(pieceFiles(t, nodeDirs(net))); got < keptPieces+4 {
		t.Fatalf("%d pieces after the second upload, want at least %d", got, keptPieces+4)
	}
	if _, err := project.DeleteObject(context.Background(), "delete", "deleted"); err != nil {
		t.Fatal(err)
	}
	collectGarbage(t, net)
	if got := len(pieceFiles(t, nodeDirs(net))); got != keptPieces {
		t.Fatalf("%d pieces after delete and GC, want the %d of the live object", got, keptPieces)
	}
	requireSameSHA256(t, "live object after GC", kept, download(t, project, "delete", "kept", nil))
}
