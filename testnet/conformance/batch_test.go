package conformance

import (
	"context"
	"testing"

	"storj.io/uplink"

	"testnet/network/networktest"
)

// The client batches metainfo calls with CompressedBatch by default and with Batch plus direct
// RPCs when STORJ_COMPRESSED_BATCH=false; the satellite must answer both alike.
func TestBothBatchPaths(t *testing.T) {
	for _, compressed := range []string{"true", "false"} {
		t.Run("compressed="+compressed, func(t *testing.T) {
			t.Setenv("STORJ_COMPRESSED_BATCH", compressed)
			net := networktest.Start(t, 5)
			project := net.OpenProject(net.Access(), "batch")
			objects := map[string][]byte{"dir/inline": networktest.RandomData(t, 10), "dir/remote": networktest.RandomData(t, 70*1024)}
			for key, data := range objects {
				upload(t, project, "batch", key, data)
			}
			for key, data := range objects {
				requireSameSHA256(t, key, data, download(t, project, "batch", key, nil))
				requireSameSHA256(t, key+" ranged", data[3:7], download(t, project, "batch", key, &uplink.DownloadOptions{Offset: 3, Length: 4}))
				info, err := project.StatObject(context.Background(), "batch", key)
				if err != nil || info.System.ContentLength != int64(len(data)) {
					t.Fatalf("stat %s: %+v, %v", key, info, err)
				}
			}
			listed := 0
			it := project.ListObjects(context.Background(), "batch", &uplink.ListObjectsOptions{Prefix: "dir/"})
			for it.Next() {
				listed++
			}
			if it.Err() != nil || listed != len(objects) {
				t.Fatalf("listed %d objects, err %v", listed, it.Err())
			}
			for key := range objects {
				if _, err := project.DeleteObject(context.Background(), "batch", key); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := project.StatObject(context.Background(), "batch", "dir/remote"); err == nil {
				t.Fatal("deleted object still found")
			}
		})
	}
}
