package conformance

import (
	"bytes"
	"context"
	"io"
	"testing"

	"testnet/network/networktest"
)

// With redundancy 2/3/4/5 on 5 nodes, one node may die during an upload or a download.
func TestNodeStoppedMidTransfer(t *testing.T) {
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "resilience")
	data := networktest.RandomData(t, 8<<20)

	up, err := project.UploadObject(context.Background(), "resilience", "object", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.Write(data[:3<<20]); err != nil {
		t.Fatal(err)
	}
	net.StopNode(0)
	if _, err := up.Write(data[3<<20:]); err != nil {
		t.Fatalf("write after a node stopped: %v", err)
	}
	if err := up.Commit(); err != nil {
		t.Fatalf("commit after a node stopped: %v", err)
	}
	net.StartNode(0)

	down, err := project.DownloadObject(context.Background(), "resilience", "object", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = down.Close() }()
	got := make([]byte, len(data))
	if _, err := io.ReadFull(down, got[:2<<20]); err != nil {
		t.Fatal(err)
	}
	net.StopNode(1)
	if _, err := io.ReadFull(down, got[2<<20:]); err != nil {
		t.Fatalf("read after a node stopped: %v", err)
	}
	requireSameSHA256(t, "download with a node stopped midway", data, got)

	// a second, fresh download with the node still down
	requireSameSHA256(t, "download with a node down", data, download(t, project, "resilience", "object", nil))
}

func TestRestartKeepsObjects(t *testing.T) {
	net := networktest.Start(t, 5)
	access := net.Access()
	objects := map[string][]byte{"inline": networktest.RandomData(t, 100), "remote": networktest.RandomData(t, 200*1024)}
	project := net.OpenProject(access, "restart")
	for key, data := range objects {
		upload(t, project, "restart", key, data)
	}
	_ = project.Close()

	net.RestartSatellite()
	project = net.OpenProject(access)
	for key, data := range objects {
		requireSameSHA256(t, key+" after satellite restart", data, download(t, project, "restart", key, nil))
	}
	_ = project.Close()

	grant := net.AccessGrant()
	net.Restart()
	if net.AccessGrant() != grant {
		t.Fatal("the access grant changed across a restart (satellite port or key changed)")
	}
	project = net.OpenProject(access) // the old access still works: same satellite URL
	for key, data := range objects {
		requireSameSHA256(t, key+" after network restart", data, download(t, project, "restart", key, nil))
	}
	if !bytes.Equal(objects["inline"], download(t, project, "restart", "inline", nil)) {
		t.Fatal("inline object changed")
	}
}
