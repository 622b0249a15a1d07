package zombies_test

import (
	"errors"
	"testing"
	"time"

	"storj.io/common/uuid"

	"testnet/satellite/store"
	"testnet/satellite/zombies"
)

func pending(t *testing.T, db *store.DB, key string, begun time.Time, segments ...time.Time) *store.Object {
	t.Helper()
	stream, err := uuid.New()
	if err != nil {
		t.Fatal(err)
	}
	o := &store.Object{Bucket: "b", Key: []byte(key), StreamID: stream, Pending: true, CreatedAt: begun}
	err = db.Update(func(tx *store.Tx) error {
		if err := tx.PutObject(o); err != nil {
			return err
		}
		for i, created := range segments {
			s := &store.Segment{StreamID: stream, Part: int32(i + 1), EncryptedSize: 10, CreatedAt: created}
			if err := tx.PutSegment(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func exists(t *testing.T, db *store.DB, o *store.Object) bool {
	t.Helper()
	var found bool
	err := db.View(func(tx *store.Tx) error {
		_, err := tx.ObjectByStream(o.StreamID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// A pending upload is deleted, with its segments, once it was begun and last received a segment
// more than the period ago; any later segment keeps it.
func TestDeletesInactivePendingUploads(t *testing.T) {
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	now := time.Now()
	period := zombies.DefaultPeriod
	stale := pending(t, db, "stale", now.Add(-period-time.Minute))
	staleParts := pending(t, db, "stale-parts", now.Add(-3*period), now.Add(-2*period), now.Add(-period-time.Second))
	fresh := pending(t, db, "fresh", now.Add(-period+time.Minute))
	revived := pending(t, db, "revived", now.Add(-3*period), now.Add(-period+time.Minute))

	removed, err := zombies.Delete(db, now, period)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2 || exists(t, db, stale) || exists(t, db, staleParts) {
		t.Fatalf("removed %d; stale kept: %v, stale with parts kept: %v", removed, exists(t, db, stale), exists(t, db, staleParts))
	}
	if !exists(t, db, fresh) || !exists(t, db, revived) {
		t.Fatalf("active uploads deleted: fresh %v, revived %v", exists(t, db, fresh), exists(t, db, revived))
	}
	err = db.View(func(tx *store.Tx) error {
		segments, err := tx.Segments(staleParts.StreamID)
		if len(segments) != 0 {
			t.Errorf("segments of a deleted upload remain: %d", len(segments))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// the default period is production's
	if zombies.DefaultPeriod != 24*time.Hour {
		t.Fatalf("default period %v, want 24h", zombies.DefaultPeriod)
	}
}
