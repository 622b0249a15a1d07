package metainfo

import (
	"testnet/satellite/store"
)

// deleteObject removes an object and its segments and gives their storage back to the project.
// Pieces stay on the nodes until garbage collection (copies may share them).
func deleteObject(tx *store.Tx, o *store.Object) error {
	if err := tx.DeleteObject(o); err != nil {
		return err
	}
	segments, err := tx.DeleteSegments(o.StreamID)
	if err != nil {
		return err
	}
	var size int64
	for _, s := range segments {
		size += s.EncryptedSize
	}
	return addUsage(tx, o.ProjectID, store.Usage{StorageBytes: -size, Segments: -int64(len(segments))})
}

// addUsage adds delta to a project's usage (negative to release).
func addUsage(tx *store.Tx, project [16]byte, delta store.Usage) error {
	p, err := tx.Project(project)
	if err != nil {
		return err
	}
	p.Usage.StorageBytes = max(0, p.Usage.StorageBytes+delta.StorageBytes)
	p.Usage.Segments = max(0, p.Usage.Segments+delta.Segments)
	p.Usage.BandwidthBytes = max(0, p.Usage.BandwidthBytes+delta.BandwidthBytes)
	return tx.PutProject(p)
}

// checkUpload refuses new data once the project reached its storage or segment limit, or when
// adding delta would exceed it.
func checkUpload(tx *store.Tx, project [16]byte, delta store.Usage) error {
	p, err := tx.Project(project)
	if err != nil {
		return err
	}
	if p.Limits.StorageBytes > 0 && (p.Usage.StorageBytes >= p.Limits.StorageBytes ||
		p.Usage.StorageBytes+delta.StorageBytes > p.Limits.StorageBytes) {
		return errStorageLimit
	}
	if p.Limits.Segments > 0 && (p.Usage.Segments >= p.Limits.Segments ||
		p.Usage.Segments+delta.Segments > p.Limits.Segments) {
		return errSegmentsLimit
	}
	return nil
}

// chargeDownload accounts bandwidth for a download, refusing it once the limit is reached.
func chargeDownload(tx *store.Tx, project [16]byte, bytes int64) error {
	p, err := tx.Project(project)
	if err != nil {
		return err
	}
	if p.Limits.BandwidthBytes > 0 && p.Usage.BandwidthBytes+bytes > p.Limits.BandwidthBytes {
		return errBandwidthLimit
	}
	p.Usage.BandwidthBytes += bytes
	return tx.PutProject(p)
}
