package conformance

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"storj.io/uplink"

	"testnet/network"
	"testnet/network/networktest"
)

// uploadErr uploads data and returns the first error (write or commit).
func uploadErr(project *uplink.Project, bucket, key string, data []byte) error {
	up, err := project.UploadObject(context.Background(), bucket, key, nil)
	if err != nil {
		return err
	}
	if _, err := io.Copy(up, bytes.NewReader(data)); err != nil {
		_ = up.Abort()
		return err
	}
	return up.Commit()
}

// Limits of a project made through the control API give the client's own limit errors.
func TestProjectLimits(t *testing.T) {
	net := networktest.Start(t, 5)

	storage := net.OpenProject(net.NewProjectAccess(network.ProjectLimits{StorageBytes: 100 * 1024}), "limits")
	if err := uploadErr(storage, "limits", "fits", networktest.RandomData(t, 50*1024)); err != nil {
		t.Fatalf("upload within the storage limit: %v", err)
	}
	// usage is still under the limit, so this one goes ahead and crosses it, as in production
	if err := uploadErr(storage, "limits", "crossing", networktest.RandomData(t, 200*1024)); err != nil {
		t.Fatalf("upload that crosses the storage limit: %v", err)
	}
	if err := uploadErr(storage, "limits", "too-much", networktest.RandomData(t, 1024)); !errors.Is(err, uplink.ErrStorageLimitExceeded) {
		t.Fatalf("upload beyond the storage limit: got %v, want ErrStorageLimitExceeded", err)
	}

	segments := net.OpenProject(net.NewProjectAccess(network.ProjectLimits{Segments: 2}), "limits")
	var err error
	for i := 0; i < 4 && err == nil; i++ {
		err = uploadErr(segments, "limits", "object"+string(rune('a'+i)), networktest.RandomData(t, 10*1024))
	}
	if !errors.Is(err, uplink.ErrSegmentsLimitExceeded) {
		t.Fatalf("uploads beyond the segment limit: got %v, want ErrSegmentsLimitExceeded", err)
	}

	bandwidth := net.OpenProject(net.NewProjectAccess(network.ProjectLimits{BandwidthBytes: 64 * 1024}), "limits")
	if err := uploadErr(bandwidth, "limits", "object", networktest.RandomData(t, 40*1024)); err != nil {
		t.Fatalf("upload under a bandwidth limit: %v", err)
	}
	var downloadErr error
	for i := 0; i < 4 && downloadErr == nil; i++ {
		var down *uplink.Download
		down, downloadErr = bandwidth.DownloadObject(context.Background(), "limits", "object", nil)
		if downloadErr == nil {
			_, downloadErr = io.ReadAll(down)
			_ = down.Close()
		}
	}
	if !errors.Is(downloadErr, uplink.ErrBandwidthLimitExceeded) {
		t.Fatalf("downloads beyond the bandwidth limit: got %v, want ErrBandwidthLimitExceeded", downloadErr)
	}
}

// With the satellite stopped the client fails quickly instead of hanging, and works again once
// it is back.
func TestSatelliteStopped(t *testing.T) {
	net := networktest.Start(t, 5)
	access := net.Access()
	project := net.OpenProject(access, "down")
	_ = project.Close()

	if err := net.StopSatellite(); err != nil {
		t.Fatal(err)
	}
	project = net.OpenProject(access)
	start := time.Now()
	_, err := project.StatBucket(context.Background(), "down")
	if err == nil {
		t.Fatal("stat bucket with the satellite stopped succeeded")
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Fatalf("the client needed %v to fail", elapsed)
	}
	_ = project.Close()

	if err := net.StartSatellite(context.Background()); err != nil {
		t.Fatal(err)
	}
	project = net.OpenProject(access)
	if _, err := project.StatBucket(context.Background(), "down"); err != nil {
		t.Fatalf("stat bucket after the satellite restarted: %v", err)
	}
}
