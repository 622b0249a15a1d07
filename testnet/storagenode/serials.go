package storagenode

import (
	"sync"
	"time"

	"storj.io/common/storj"
)

// orderLimitGracePeriod is how far an order limit's creation time may lie from the node's clock,
// in either direction, as on real nodes: a limit is usable for one hour after the satellite
// signed it.
const orderLimitGracePeriod = time.Hour

// serialPruneInterval bounds how often add walks the table to forget expired serials.
const serialPruneInterval = time.Minute

// usedSerials remembers the serial number of every accepted order limit until the limit can no
// longer be used anyway, so that one limit serves one transfer only. Like on real nodes it lives
// in memory: a restarted node starts empty, and the grace period bounds what a replay could do.
type usedSerials struct {
	mu         sync.Mutex
	expires    map[storj.SerialNumber]time.Time
	lastPruned time.Time
}

// add records serial as used until expires; it reports false if serial was already used.
func (u *usedSerials) add(serial storj.SerialNumber, expires, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.expires == nil {
		u.expires = map[storj.SerialNumber]time.Time{}
	}
	if now.Sub(u.lastPruned) > serialPruneInterval {
		for s, until := range u.expires {
			if now.After(until) {
				delete(u.expires, s)
			}
		}
		u.lastPruned = now
	}
	if until, ok := u.expires[serial]; ok && !now.After(until) {
		return false
	}
	u.expires[serial] = expires
	return true
}

// serialExpiration is when an accepted limit's serial may be forgotten: once the limit expires
// or its creation falls out of the grace period, whichever comes first, it is refused anyway.
func serialExpiration(orderCreation, orderExpiration time.Time) time.Time {
	graceEnd := orderCreation.Add(orderLimitGracePeriod)
	if orderExpiration.IsZero() || graceEnd.Before(orderExpiration) {
		return graceEnd
	}
	return orderExpiration
}
