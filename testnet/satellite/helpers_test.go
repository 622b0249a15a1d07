package satellite_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"storj.io/uplink"
)

func upload(t *testing.T, ctx context.Context, project *uplink.Project, bucket, key string, data []byte, opts *uplink.UploadOptions) error {
	t.Helper()
	up, err := project.UploadObject(ctx, bucket, key, opts)
	if err != nil {
		return err
	}
	if _, err := up.Write(data); err != nil {
		_ = up.Abort()
		return err
	}
	return up.Commit()
}

func mustUpload(t *testing.T, ctx context.Context, project *uplink.Project, bucket, key string, data []byte) {
	t.Helper()
	if err := upload(t, ctx, project, bucket, key, data, nil); err != nil {
		t.Fatalf("upload %s/%s: %v", bucket, key, err)
	}
}

func download(t *testing.T, ctx context.Context, project *uplink.Project, bucket, key string, opts *uplink.DownloadOptions) ([]byte, error) {
	t.Helper()
	down, err := project.DownloadObject(ctx, bucket, key, opts)
	if err != nil {
		return nil, err
	}
	defer func() { _ = down.Close() }()
	return io.ReadAll(down)
}

func mustRoundTrip(t *testing.T, ctx context.Context, project *uplink.Project, bucket, key string, data []byte) {
	t.Helper()
	mustUpload(t, ctx, project, bucket, key, data)
	got, err := download(t, ctx, project, bucket, key, nil)
	if err != nil {
		t.Fatalf("download %s/%s: %v", bucket, key, err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("download %s/%s: got %d bytes, want %d identical bytes", bucket, key, len(got), len(data))
	}
}
