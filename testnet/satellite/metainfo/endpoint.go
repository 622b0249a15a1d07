// Package metainfo is the satellite's metainfo DRPC service: buckets, objects, segments, order
// limits for the nodes, listing, copy/move, API key checks, project limits and request rates, as
// the unmodified storj.io/uplink client expects them and as Storj's production satellite answers
// (docs/network-differences.md lists the rules and where the two differ).
package metainfo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"storj.io/common/identity"
	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/signing"
	"storj.io/common/storj"

	"testnet/satellite/apikeys"
	"testnet/satellite/overlay"
	"testnet/satellite/store"
)

// Config configures the endpoint.
type Config struct {
	Identity   *identity.FullIdentity
	Nodes      []overlay.Node
	Redundancy storj.RedundancyScheme
	// IDSecret authenticates the stream and segment IDs handed to clients.
	IDSecret []byte
}

// Endpoint implements pb.DRPCMetainfoServer. Calls it does not know answer Unimplemented.
type Endpoint struct {
	pb.DRPCMetainfoUnimplementedServer

	db     *store.DB
	keys   *apikeys.Keys
	ident  *identity.FullIdentity
	signer signing.Signer
	nodes  overlay.Nodes
	rs     storj.RedundancyScheme
	ids    idCodec
	limits *rateLimiter
	now    func() time.Time
}

// New returns an endpoint over db.
func New(db *store.DB, cfg Config) *Endpoint {
	return &Endpoint{
		db:     db,
		keys:   apikeys.New(db),
		ident:  cfg.Identity,
		signer: signing.SignerFromFullIdentity(cfg.Identity),
		nodes:  cfg.Nodes,
		rs:     cfg.Redundancy,
		ids:    idCodec{secret: cfg.IDSecret},
		limits: newRateLimiter(),
		now:    time.Now,
	}
}

// authorize parses the header's key, admits the request against the project's rate limit and
// requires all actions.
func (e *Endpoint) authorize(ctx context.Context, header *pb.RequestHeader, actions ...macaroon.Action) (*apikeys.Key, error) {
	return e.authorizeRate(ctx, header, true, actions...)
}

// authorizeRate is authorize where refuse says whether an exhausted rate limit refuses the request.
func (e *Endpoint) authorizeRate(ctx context.Context, header *pb.RequestHeader, refuse bool, actions ...macaroon.Action) (*apikeys.Key, error) {
	key, err := e.parseKey(header, actions, refuse)
	if err != nil {
		return nil, err
	}
	return key, e.keys.Require(ctx, key, actions...)
}

// authorizeAny parses the header's key, admits the request and requires at least one of the actions.
func (e *Endpoint) authorizeAny(ctx context.Context, header *pb.RequestHeader, actions ...macaroon.Action) (*apikeys.Key, error) {
	key, err := e.parseKey(header, actions, true)
	if err != nil {
		return nil, err
	}
	return key, e.keys.RequireAny(ctx, key, actions...)
}

// parseKey parses the header's key, admits the request against its project's rate limit (as the
// real satellite does: after the key is known, before its caveats are checked) and dates the
// actions now, for the caveats' time bounds.
func (e *Endpoint) parseKey(header *pb.RequestHeader, actions []macaroon.Action, refuse bool) (*apikeys.Key, error) {
	key, err := e.admitKey(header, refuse)
	if err != nil {
		return nil, err
	}
	now := e.now()
	for i := range actions {
		actions[i].Time = now
	}
	return key, nil
}

// admitKey parses the header's key and admits the request against the project's rate limit.
func (e *Endpoint) admitKey(header *pb.RequestHeader, refuse bool) (*apikeys.Key, error) {
	key, err := e.keys.Parse(header)
	if err != nil {
		return nil, err
	}
	if err := e.limits.admitRequest(e.db, key.Record.ProjectID, e.now(), refuse); err != nil {
		return nil, err
	}
	return key, nil
}

func (e *Endpoint) allows(ctx context.Context, key *apikeys.Key, op macaroon.ActionType, bucket string, path []byte) bool {
	return e.keys.Allows(ctx, key, macaroon.Action{Op: op, Bucket: []byte(bucket), EncryptedPath: path, Time: e.now()})
}

func action(op macaroon.ActionType, bucket []byte, path []byte) macaroon.Action {
	return macaroon.Action{Op: op, Bucket: bucket, EncryptedPath: path}
}

// Errors whose texts the client parses (prefix match) or the real satellite uses.
func errBucketNotFound(name string) error {
	return rpcstatus.Errorf(rpcstatus.NotFound, "bucket not found: %s", name)
}

func errObjectNotFound() error { return rpcstatus.Error(rpcstatus.NotFound, "object not found") }

func errInternal(err error) error { return rpcstatus.Error(rpcstatus.Internal, err.Error()) }

func errInvalid(format string, args ...any) error {
	return rpcstatus.Error(rpcstatus.InvalidArgument, fmt.Sprintf(format, args...))
}

// asRPC keeps errors that already carry a status and turns the rest into Internal.
func asRPC(err error) error {
	if err == nil {
		return nil
	}
	if rpcstatus.Code(err) != rpcstatus.Unknown {
		return err
	}
	return errInternal(err)
}

// streamObject finds the object of a client stream ID and checks the key permits op on it.
func (e *Endpoint) streamObject(ctx context.Context, header *pb.RequestHeader, streamID []byte, op macaroon.ActionType) (*apikeys.Key, *store.Object, error) {
	return e.streamObjectRate(ctx, header, streamID, op, true)
}

// streamObjectRate is streamObject where refuse says whether an exhausted rate limit refuses it.
func (e *Endpoint) streamObjectRate(ctx context.Context, header *pb.RequestHeader, streamID []byte, op macaroon.ActionType, refuse bool) (*apikeys.Key, *store.Object, error) {
	stream, err := e.ids.decodeStream(streamID)
	if err != nil {
		return nil, nil, err
	}
	var obj *store.Object
	err = e.db.View(func(tx *store.Tx) error {
		obj, err = tx.ObjectByStream(stream)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errObjectNotFound()
	}
	if err != nil {
		return nil, nil, errInternal(err)
	}
	key, err := e.authorizeRate(ctx, header, refuse, action(op, []byte(obj.Bucket), obj.Key))
	if err != nil {
		return nil, nil, err
	}
	if key.Record.ProjectID != obj.ProjectID {
		return nil, nil, errObjectNotFound()
	}
	return key, obj, nil
}
