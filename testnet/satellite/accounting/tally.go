// Package accounting is the satellite's accounting pass (production calls it the tally): it
// recounts what every project stores, which is when deleted data stops counting against the
// project's storage and segment limits.
package accounting

import (
	"fmt"
	"time"

	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// DefaultInterval is how often the tally runs, production's release default.
const DefaultInterval = time.Hour

// Tally sets every project's storage and segment usage to what its committed objects hold at
// now, the way production's tally sums the objects table: every committed version counts,
// expired objects and pending uploads do not. Egress is left alone.
func Tally(db *store.DB, now time.Time) error {
	err := db.Update(func(tx *store.Tx) error {
		objects, err := tx.BucketVersions(nil)
		if err != nil {
			return err
		}
		totals := map[uuid.UUID]store.Usage{}
		for _, o := range objects {
			if !o.ExpiresAt.IsZero() && !o.ExpiresAt.After(now) {
				continue
			}
			total := totals[o.ProjectID]
			total.StorageBytes += o.TotalEncSize
			total.Segments += int64(o.SegmentCount)
			totals[o.ProjectID] = total
		}
		projects, err := tx.Projects()
		if err != nil {
			return err
		}
		for _, p := range projects {
			total := totals[p.ID]
			if p.Usage.StorageBytes == total.StorageBytes && p.Usage.Segments == total.Segments {
				continue
			}
			p.Usage.StorageBytes, p.Usage.Segments = total.StorageBytes, total.Segments
			if err := tx.PutProject(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("accounting tally: %w", err)
	}
	return nil
}
