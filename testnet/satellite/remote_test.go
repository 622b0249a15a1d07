package satellite_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"storj.io/uplink"
	"storj.io/uplink/private/object"

	"testnet/network/networktest"
)

func TestRemoteSegments(t *testing.T) {
	bothBatchPaths(t, 5, func(t *testing.T, ctx context.Context, n *network) {
		access := n.access("")
		project := n.project(access, "remote")
		data := networktest.RandomData(t, 1<<20)
		mustRoundTrip(t, ctx, project, "remote", "one-mib", data)

		got, err := download(t, ctx, project, "remote", "one-mib", &uplink.DownloadOptions{Offset: 1000, Length: 5000})
		if err != nil || !bytes.Equal(got, data[1000:6000]) {
			t.Fatalf("ranged download: %d bytes, %v", len(got), err)
		}
		got, err = download(t, ctx, project, "remote", "one-mib", &uplink.DownloadOptions{Offset: -100, Length: -1})
		if err != nil || !bytes.Equal(got, data[len(data)-100:]) {
			t.Fatalf("suffix download: %d bytes, %v", len(got), err)
		}

		ips, err := object.GetObjectIPs(ctx, uplink.Config{}, access, "remote", "one-mib")
		if err != nil || len(ips) < 4 {
			t.Fatalf("object IPs: %q %v", ips, err)
		}

		// A remote object with an inline tail, overwritten, then deleted.
		mustRoundTrip(t, ctx, project, "remote", "odd", networktest.RandomData(t, 100_000))
		mustRoundTrip(t, ctx, project, "remote", "odd", networktest.RandomData(t, 50_000))
		if _, err := project.DeleteObject(ctx, "remote", "odd"); err != nil {
			t.Fatal(err)
		}
		if err := n.sat.CollectGarbage(ctx); err != nil {
			t.Fatalf("collect garbage: %v", err)
		}
		got, err = download(t, ctx, project, "remote", "one-mib", nil)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("download after garbage collection: %d bytes, %v", len(got), err)
		}

		// One node down: upload and download still work.
		n.stopNode(0)
		data2 := networktest.RandomData(t, 300_000)
		mustRoundTrip(t, ctx, project, "remote", "node-down", data2)
		got, err = download(t, ctx, project, "remote", "one-mib", nil)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("download with a node down: %d bytes, %v", len(got), err)
		}
	})
}

func TestMultiSegment(t *testing.T) {
	if testing.Short() {
		t.Skip("70 MiB upload")
	}
	ctx := context.Background()
	n := newNetwork(t, 5)
	project := n.project(n.access(""), "big")
	data := networktest.RandomData(t, 70<<20)
	mustRoundTrip(t, ctx, project, "big", "seventy", data)
	got, err := download(t, ctx, project, "big", "seventy", &uplink.DownloadOptions{Offset: 64<<20 - 10, Length: 20})
	if err != nil || !bytes.Equal(got, data[64<<20-10:64<<20+10]) {
		t.Fatalf("range across segments: %d bytes, %v", len(got), err)
	}
}

func TestProjectLimits(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 5)
	project := n.limitedProject(satelliteLimits(200_000, 0, 0))
	mustUpload(t, ctx, project, "limited", "small", networktest.RandomData(t, 100_000))
	mustUpload(t, ctx, project, "limited", "big", networktest.RandomData(t, 300_000)) // usage was under the limit
	err := upload(t, ctx, project, "limited", "more", networktest.RandomData(t, 100), nil)
	if !errors.Is(err, uplink.ErrStorageLimitExceeded) {
		t.Fatalf("storage limit: %v", err)
	}

	project = n.limitedProject(satelliteLimits(0, 0, 2))
	mustUpload(t, ctx, project, "limited", "a", []byte("a"))
	mustUpload(t, ctx, project, "limited", "b", []byte("b"))
	if err := upload(t, ctx, project, "limited", "c", []byte("c"), nil); !errors.Is(err, uplink.ErrSegmentsLimitExceeded) {
		t.Fatalf("segments limit: %v", err)
	}

	project = n.limitedProject(satelliteLimits(0, 150_000, 0))
	mustUpload(t, ctx, project, "limited", "a", networktest.RandomData(t, 100_000))
	for i := 0; i < 2; i++ { // the second download crosses the limit and still succeeds
		if _, err := download(t, ctx, project, "limited", "a", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := download(t, ctx, project, "limited", "a", nil); !errors.Is(err, uplink.ErrBandwidthLimitExceeded) {
		t.Fatalf("bandwidth limit: %v", err)
	}
}
