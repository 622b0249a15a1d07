// Package gc tells every storage node which pieces the satellite still knows (a bloom filter in a
// Retain request), so nodes delete pieces of deleted objects, aborted and long-tail uploads.
package gc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"storj.io/common/bloomfilter"
	"storj.io/common/pb"
	"storj.io/common/rpc"
	"storj.io/common/storj"

	"testnet/satellite/overlay"
	"testnet/satellite/store"
)

// inflightLifetime is how long a begun upload may still commit (the order limits' lifetime).
const inflightLifetime = 48 * time.Hour

// Collector sends retain filters.
type Collector struct {
	db     *store.DB
	dialer rpc.Dialer
	nodes  []overlay.Node
}

// New returns a collector dialing nodes with dialer (which carries the satellite's identity).
func New(db *store.DB, dialer rpc.Dialer, nodes []overlay.Node) *Collector {
	return &Collector{db: db, dialer: dialer, nodes: nodes}
}

// Collect sends every node a filter of the pieces it must keep. Pieces created after the filter's
// creation date are always kept by the node, so uploads racing with collection are safe.
func (c *Collector) Collect(ctx context.Context) error {
	created := time.Now()
	keep, err := c.piecesToKeep(created)
	if err != nil {
		return err
	}
	var errs []error
	for _, node := range c.nodes {
		pieces := keep[node.ID]
		filter := bloomfilter.NewOptimal(max(int64(len(pieces)), 100), 0.001)
		for _, id := range pieces {
			filter.Add(id)
		}
		if err := c.retain(ctx, node, created, filter); err != nil {
			errs = append(errs, fmt.Errorf("retain on node %s: %w", node.ID, err))
		}
	}
	return errors.Join(errs...)
}

// piecesToKeep lists per node the pieces of stored segments and of uploads still in flight.
func (c *Collector) piecesToKeep(now time.Time) (map[storj.NodeID][]storj.PieceID, error) {
	keep := map[storj.NodeID][]storj.PieceID{}
	err := c.db.Update(func(tx *store.Tx) error {
		err := tx.AllSegments(func(s *store.Segment) error {
			for _, p := range s.Pieces {
				keep[p.Node] = append(keep[p.Node], s.RootPieceID.Derive(p.Node, p.Num))
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.AllInflight(func(i *store.Inflight) (bool, error) {
			if now.Sub(i.CreatedAt) > inflightLifetime {
				return true, nil
			}
			for _, p := range i.Pieces {
				keep[p.Node] = append(keep[p.Node], i.RootPieceID.Derive(p.Node, p.Num))
			}
			return false, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("collect pieces to keep: %w", err)
	}
	return keep, nil
}

func (c *Collector) retain(ctx context.Context, node overlay.Node, created time.Time, filter *bloomfilter.Filter) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := c.dialer.DialNodeURL(ctx, storj.NodeURL{ID: node.ID, Address: node.Address})
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	_, err = pb.NewDRPCPiecestoreClient(conn).Retain(ctx, &pb.RetainRequest{
		CreationDate: created,
		Filter:       filter.Bytes(),
	})
	return err
}
