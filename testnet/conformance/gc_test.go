package conformance

import (
	"context"
	"testing"

	"testnet/network/networktest"
)

func nodeDirs(net *networktest.Network) []string {
	var dirs []string
	for i := 0; i < net.NodeCount(); i++ {
		dirs = append(dirs, net.NodeDir(i))
	}
	return dirs
}

// collectGarbage runs GC once the nodes finished or dropped every upload.
func collectGarbage(t *testing.T, net *networktest.Network) {
	t.Helper()
	waitUploadsSettled(t, nodeDirs(net))
	if err := net.CollectGarbage(context.Background()); err != nil {
		t.Fatalf("collect garbage: %v", err)
	}
}

// A cancelled upload may have reached nodes; after garbage collection no piece of it is left.
func TestCancelledUploadLeavesNoPieces(t *testing.T) {
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "cancel")

	up, err := project.UploadObject(context.Background(), "cancel", "object", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.Write(networktest.RandomData(t, 2<<20)); err != nil {
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
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "delete")
	kept := networktest.RandomData(t, 100*1024)
	upload(t, project, "delete", "kept", kept)
	collectGarbage(t, net)
	before := pieceFiles(t, nodeDirs(net))
	if len(before) < 4 {
		t.Fatalf("%d pieces stored for one remote segment, want at least the optimal 4", len(before))
	}

	upload(t, project, "delete", "deleted", networktest.RandomData(t, 100*1024))
	waitUploadsSettled(t, nodeDirs(net))
	added := filesWhere(pieceFiles(t, nodeDirs(net)), before, false)
	if len(added) < 4 {
		t.Fatalf("%d new pieces for the second object, want at least 4", len(added))
	}
	if _, err := project.DeleteObject(context.Background(), "delete", "deleted"); err != nil {
		t.Fatal(err)
	}
	collectGarbage(t, net)
	remaining := pieceFiles(t, nodeDirs(net))
	if left := filesWhere(added, remaining, true); len(left) > 0 {
		t.Fatalf("pieces of the deleted object left after GC: %v", left)
	}
	if len(remaining) < 4 {
		t.Fatalf("only %d pieces left for the live object", len(remaining))
	}
	requireSameSHA256(t, "live object after GC", kept, download(t, project, "delete", "kept", nil))
}

// filesWhere returns the files of list whose presence in other is inOther.
func filesWhere(list, other []string, inOther bool) []string {
	present := map[string]bool{}
	for _, file := range other {
		present[file] = true
	}
	var out []string
	for _, file := range list {
		if present[file] == inOther {
			out = append(out, file)
		}
	}
	return out
}
