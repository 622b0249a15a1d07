// Package conformance drives the unmodified storj.io/uplink client against the local network:
// the behaviours of the protocol the project relies on, and the production rules of
// docs/network-differences.md.
package conformance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storj.io/uplink"
)

func upload(t *testing.T, project *uplink.Project, bucket, key string, data []byte) {
	t.Helper()
	ctx := context.Background()
	up, err := project.UploadObject(ctx, bucket, key, nil)
	if err != nil {
		t.Fatalf("begin upload %s: %v", key, err)
	}
	if _, err := io.Copy(up, bytes.NewReader(data)); err != nil {
		_ = up.Abort()
		t.Fatalf("write %s: %v", key, err)
	}
	if err := up.Commit(); err != nil {
		t.Fatalf("commit %s: %v", key, err)
	}
}

func download(t *testing.T, project *uplink.Project, bucket, key string, options *uplink.DownloadOptions) []byte {
	t.Helper()
	down, err := project.DownloadObject(context.Background(), bucket, key, options)
	if err != nil {
		t.Fatalf("begin download %s: %v", key, err)
	}
	defer func() { _ = down.Close() }()
	data, err := io.ReadAll(down)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return data
}

func requireSameSHA256(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if sha256.Sum256(want) != sha256.Sum256(got) || len(want) != len(got) {
		t.Fatalf("%s: got %d bytes (sha256 %x), want %d bytes (sha256 %x)", what, len(got), sha256.Sum256(got), len(want), sha256.Sum256(want))
	}
}

// pieceFiles lists the committed piece files under the node directories.
func pieceFiles(t *testing.T, nodeDirs []string) []string {
	t.Helper()
	return filesUnder(nodeDirs, "pieces")
}

// waitUploadsSettled waits until no node has had an upload in progress for a moment: the client
// cancels the slowest piece uploads of a segment (long tail) without waiting for the nodes.
func waitUploadsSettled(t *testing.T, nodeDirs []string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for quiet := 0; quiet < 5; {
		if len(filesUnder(nodeDirs, "tmp")) > 0 {
			quiet = 0
		} else {
			quiet++
		}
		if time.Now().After(deadline) {
			t.Fatalf("uploads still in progress on nodes: %v", filesUnder(nodeDirs, "tmp"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func filesUnder(nodeDirs []string, sub string) []string {
	var files []string
	for _, dir := range nodeDirs {
		_ = filepath.WalkDir(filepath.Join(dir, sub), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				files = append(files, path)
			}
			return nil
		})
	}
	return files
}
