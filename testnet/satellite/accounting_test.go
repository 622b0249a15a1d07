package satellite_test

import (
	"context"
	"errors"
	"testing"

	"storj.io/uplink"

	"testnet/network/networktest"
	"testnet/satellite"
)

// limitedProject opens a fresh project with limits and one bucket, "limited".
func (n *network) limitedProject(limits satellite.ProjectLimits) *uplink.Project {
	n.t.Helper()
	key, err := n.sat.CreateProject(n.ctx, limits)
	if err != nil {
		n.t.Fatal(err)
	}
	return n.project(n.access(key), "limited")
}

// Storage: an upload goes ahead while usage is under the limit, so the one that crosses it
// succeeds and the next is refused. A delete gives the room back only at the next tally.
func TestStorageQuotaAndTally(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 5)
	project := n.limitedProject(satellite.ProjectLimits{StorageBytes: 100_000})
	mustUpload(t, ctx, project, "limited", "a", networktest.RandomData(t, 60_000))
	mustUpload(t, ctx, project, "limited", "b", networktest.RandomData(t, 60_000)) // crosses the limit
	if err := upload(t, ctx, project, "limited", "c", networktest.RandomData(t, 1000), nil); !errors.Is(err, uplink.ErrStorageLimitExceeded) {
		t.Fatalf("upload over the storage limit: got %v, want ErrStorageLimitExceeded", err)
	}
	for _, key := range []string{"a", "b"} {
		if _, err := project.DeleteObject(ctx, "limited", key); err != nil {
			t.Fatal(err)
		}
	}
	if err := upload(t, ctx, project, "limited", "c", networktest.RandomData(t, 1000), nil); !errors.Is(err, uplink.ErrStorageLimitExceeded) {
		t.Fatalf("upload after deletes, before the tally: got %v, want ErrStorageLimitExceeded", err)
	}
	if err := n.sat.Tally(ctx); err != nil {
		t.Fatal(err)
	}
	mustUpload(t, ctx, project, "limited", "c", networktest.RandomData(t, 1000))
}

// Segments follow the same rule: counted at upload, released by the tally.
func TestSegmentQuotaReleasedByTally(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 5)
	project := n.limitedProject(satellite.ProjectLimits{Segments: 2})
	mustUpload(t, ctx, project, "limited", "a", []byte("a"))
	mustUpload(t, ctx, project, "limited", "b", []byte("b"))
	if _, err := project.DeleteObject(ctx, "limited", "a"); err != nil {
		t.Fatal(err)
	}
	if err := upload(t, ctx, project, "limited", "c", []byte("c"), nil); !errors.Is(err, uplink.ErrSegmentsLimitExceeded) {
		t.Fatalf("upload after a delete, before the tally: got %v, want ErrSegmentsLimitExceeded", err)
	}
	if err := n.sat.Tally(ctx); err != nil {
		t.Fatal(err)
	}
	mustUpload(t, ctx, project, "limited", "c", []byte("c"))
	if err := upload(t, ctx, project, "limited", "d", []byte("d"), nil); !errors.Is(err, uplink.ErrSegmentsLimitExceeded) {
		t.Fatalf("upload over the recounted segment limit: got %v, want ErrSegmentsLimitExceeded", err)
	}
}

// Egress: a download is refused once the month's egress has reached the limit; the download
// that crosses it still succeeds. Tallies do not give egress back.
func TestEgressQuota(t *testing.T) {
	ctx := context.Background()
	n := newNetwork(t, 5)
	project := n.limitedProject(satellite.ProjectLimits{BandwidthBytes: 100_000})
	mustUpload(t, ctx, project, "limited", "object", networktest.RandomData(t, 60_000))
	for i := 0; i < 2; i++ { // 60 000, then 120 000 bytes: the second crosses the limit
		if _, err := download(t, ctx, project, "limited", "object", nil); err != nil {
			t.Fatalf("download %d: %v", i+1, err)
		}
	}
	if err := n.sat.Tally(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := download(t, ctx, project, "limited", "object", nil); !errors.Is(err, uplink.ErrBandwidthLimitExceeded) {
		t.Fatalf("download over the egress limit: got %v, want ErrBandwidthLimitExceeded", err)
	}
}
