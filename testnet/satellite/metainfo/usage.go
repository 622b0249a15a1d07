package metainfo

import (
	"time"

	"testnet/satellite/store"
)

// deleteObject removes an object and its segments. Like production it leaves the project's usage
// alone: deleted data stops counting against the storage and segment limits only at the next
// accounting pass (the tally), which recounts what is stored. Pieces stay on the nodes until
// garbage collection (copies may share them).
func deleteObject(tx *store.Tx, o *store.Object) error {
	if err := tx.DeleteObject(o); err != nil {
		return err
	}
	_, err := tx.DeleteSegments(o.StreamID)
	return err
}

// addUsage adds delta to a project's storage and segment usage.
func addUsage(tx *store.Tx, project [16]byte, delta store.Usage) error {
	p, err := tx.Project(project)
	if err != nil {
		return err
	}
	p.Usage.StorageBytes = max(0, p.Usage.StorageBytes+delta.StorageBytes)
	p.Usage.Segments = max(0, p.Usage.Segments+delta.Segments)
	return tx.PutProject(p)
}

// uploadHeadroom is what must still fit under the limits for an upload to go on: production
// asks for room for one more byte and one more segment (at BeginObject, BeginSegment,
// CommitSegment and MakeInlineSegment), so the segment that crosses a limit is accepted and the
// next upload is refused. Only a copy asks for room for its whole size.
var uploadHeadroom = store.Usage{StorageBytes: 1, Segments: 1}

// checkUpload refuses new data when adding delta to the project's usage would pass its segment
// or storage limit (checked in production's order).
func checkUpload(tx *store.Tx, project [16]byte, delta store.Usage) error {
	p, err := tx.Project(project)
	if err != nil {
		return err
	}
	if p.Limits.Segments > 0 && p.Usage.Segments+delta.Segments > p.Limits.Segments {
		return errSegmentsLimit
	}
	if p.Limits.StorageBytes > 0 && p.Usage.StorageBytes+delta.StorageBytes > p.Limits.StorageBytes {
		return errStorageLimit
	}
	return nil
}

// chargeDownload refuses a download once the project's egress this month has reached its limit,
// else adds bytes to it: like production, the download that crosses the limit still succeeds.
func chargeDownload(tx *store.Tx, project [16]byte, bytes int64, now time.Time) error {
	p, err := tx.Project(project)
	if err != nil {
		return err
	}
	if month := now.UTC().Format("2006-01"); p.Usage.BandwidthMonth != month {
		p.Usage.BandwidthMonth, p.Usage.BandwidthBytes = month, 0
	}
	if p.Limits.BandwidthBytes > 0 && p.Usage.BandwidthBytes >= p.Limits.BandwidthBytes {
		return errBandwidthLimit
	}
	p.Usage.BandwidthBytes += bytes
	return tx.PutProject(p)
}
