// Package zombies deletes pending uploads that nobody continued, with their segments, the way
// production's zombie deletion does: an upload begun and last given a segment at least the
// deletion period ago is gone, and its pieces are left to garbage collection.
package zombies

import (
	"fmt"
	"time"

	"testnet/satellite/store"
)

// Production's defaults: a pending object may be deleted 24 hours after it was begun and after its
// last committed segment; the release build looks for such objects every 15 hours.
const (
	DefaultPeriod   = 24 * time.Hour
	DefaultInterval = 15 * time.Hour
)

// Delete removes every pending object whose upload began, and whose latest segment was committed,
// more than period before now. It returns how many it removed.
func Delete(db *store.DB, now time.Time, period time.Duration) (int, error) {
	deadline := now.Add(-period)
	var removed int
	err := db.Update(func(tx *store.Tx) error {
		var zombies []*store.Object
		err := tx.Objects(true, nil, nil, func(o *store.Object) (bool, error) {
			active, err := lastActivity(tx, o)
			if err != nil {
				return false, err
			}
			if active.Before(deadline) {
				zombies = append(zombies, o)
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		for _, o := range zombies {
			if err := tx.DeleteObject(o); err != nil {
				return err
			}
			if _, err := tx.DeleteSegments(o.StreamID); err != nil {
				return err
			}
		}
		removed = len(zombies)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delete zombie uploads: %w", err)
	}
	return removed, nil
}

// lastActivity is when a pending object was begun or last received a committed segment.
func lastActivity(tx *store.Tx, o *store.Object) (time.Time, error) {
	latest := o.CreatedAt
	segments, err := tx.Segments(o.StreamID)
	if err != nil {
		return time.Time{}, err
	}
	for _, s := range segments {
		if s.CreatedAt.After(latest) {
			latest = s.CreatedAt
		}
	}
	return latest, nil
}
