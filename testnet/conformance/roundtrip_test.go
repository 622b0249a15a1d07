package conformance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"golang.org/x/sync/errgroup"

	"storj.io/uplink"

	"testnet/network/networktest"
)

func TestRoundTrips(t *testing.T) {
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "roundtrip")

	sizes := []int{0, 1, 4*1024 - 1, 4 * 1024, 4*1024 + 1, 1 << 20}
	if !testing.Short() {
		sizes = append(sizes, 70<<20) // two segments: the client cuts at 64 MiB
	}
	for _, size := range sizes {
		key := fmt.Sprintf("object-%d", size)
		data := networktest.RandomData(t, size)
		upload(t, project, "roundtrip", key, data)
		requireSameSHA256(t, key, data, download(t, project, "roundtrip", key, nil))
	}
}

func TestRangedDownload(t *testing.T) {
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "ranges")
	data := networktest.RandomData(t, 300*1024+17)
	upload(t, project, "ranges", "object", data)

	for _, r := range []struct{ offset, length int64 }{{0, 1}, {1000, 5000}, {100 * 1024, 150 * 1024}, {300 * 1024, -1}, {-17, -1}} {
		got := download(t, project, "ranges", "object", &uplink.DownloadOptions{Offset: r.offset, Length: r.length})
		start := r.offset
		if start < 0 {
			start += int64(len(data))
		}
		end := int64(len(data))
		if r.length >= 0 {
			end = start + r.length
		}
		requireSameSHA256(t, fmt.Sprintf("range %d+%d", r.offset, r.length), data[start:end], got)
	}
}

// Concurrent transfers share nodes and connections; each must come back intact.
func TestConcurrentTransfers(t *testing.T) {
	net := networktest.Start(t, 5)
	project := net.OpenProject(net.Access(), "concurrent")
	const count = 8
	objects := make([][]byte, count)
	for i := range objects {
		objects[i] = networktest.RandomData(t, 300*1024+i)
	}
	var group errgroup.Group
	for i, data := range objects {
		group.Go(func() error {
			key := fmt.Sprintf("object-%d", i)
			if err := uploadErr(project, "concurrent", key, data); err != nil {
				return fmt.Errorf("upload %s: %w", key, err)
			}
			down, err := project.DownloadObject(context.Background(), "concurrent", key, nil)
			if err != nil {
				return fmt.Errorf("download %s: %w", key, err)
			}
			defer func() { _ = down.Close() }()
			got, err := io.ReadAll(down)
			if err != nil {
				return fmt.Errorf("read %s: %w", key, err)
			}
			if !bytes.Equal(got, data) {
				return fmt.Errorf("%s differs after the round trip", key)
			}
			return nil
		})
	}
	if err := group.Wait(); err != nil {
		t.Fatal(err)
	}
}
