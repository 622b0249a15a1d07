// Package apikeys issues project API keys (macaroons), checks them on every request, and keeps
// revocations: a revoked tail denies the key and every key derived from it.
package apikeys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"storj.io/common/macaroon"
	"storj.io/common/pb"
	"storj.io/common/rpc/rpcstatus"
	"storj.io/common/uuid"

	"testnet/satellite/store"
)

// Texts the real satellite answers with (the client maps the status code, tests match the text).
const (
	msgInvalid      = "Invalid API credentials"
	msgUnauthorized = "Unauthorized API credentials"
)

// Create makes a new root API key for project, of the version production creates keys with
// now (Object Lock actions allowed), and returns it serialized.
func Create(tx *store.Tx, project uuid.UUID) (string, error) {
	return CreateVersion(tx, project, macaroon.APIKeyVersionObjectLock)
}

// CreateVersion makes a new root API key of a given version: keys older than
// macaroon.APIKeyVersionObjectLock may never perform Object Lock actions.
func CreateVersion(tx *store.Tx, project uuid.UUID, version macaroon.APIKeyVersion) (string, error) {
	secret, err := macaroon.NewSecret()
	if err != nil {
		return "", fmt.Errorf("new macaroon secret: %w", err)
	}
	key, err := macaroon.NewAPIKey(secret)
	if err != nil {
		return "", fmt.Errorf("new api key: %w", err)
	}
	err = tx.PutAPIKey(&store.APIKey{Head: key.Head(), Secret: secret, ProjectID: project, CreatedAt: time.Now(), Version: uint(version)})
	if err != nil {
		return "", fmt.Errorf("store api key: %w", err)
	}
	return key.Serialize(), nil
}

// Keys validates API keys against the database.
type Keys struct {
	db *store.DB
}

// New returns a validator over db.
func New(db *store.DB) *Keys { return &Keys{db: db} }

// Key is a parsed, known API key.
type Key struct {
	Macaroon *macaroon.APIKey
	Record   *store.APIKey
}

// Parse parses the request header's key and finds its project, as the real satellite's basic
// validation does (InvalidArgument for garbage, PermissionDenied for unknown keys).
func (k *Keys) Parse(header *pb.RequestHeader) (*Key, error) {
	if header == nil {
		return nil, rpcstatus.Error(rpcstatus.Unauthenticated, "missing request header")
	}
	key, err := macaroon.ParseRawAPIKey(header.ApiKey)
	if err != nil {
		return nil, rpcstatus.Error(rpcstatus.InvalidArgument, msgInvalid)
	}
	var rec *store.APIKey
	err = k.db.View(func(tx *store.Tx) error {
		rec, err = tx.APIKey(key.Head())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, rpcstatus.Error(rpcstatus.PermissionDenied, msgUnauthorized)
	}
	if err != nil {
		return nil, rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	return &Key{Macaroon: key, Record: rec}, nil
}

// Allows reports whether the key permits action now (caveats, revocations).
func (k *Keys) Allows(ctx context.Context, key *Key, action macaroon.Action) bool {
	if action.Time.IsZero() {
		action.Time = time.Now()
	}
	return key.Macaroon.Check(ctx, key.Record.Secret, macaroon.APIKeyVersion(key.Record.Version), action, revoker{db: k.db}) == nil
}

// Require fails with PermissionDenied unless the key permits every action.
func (k *Keys) Require(ctx context.Context, key *Key, actions ...macaroon.Action) error {
	for _, action := range actions {
		if !k.Allows(ctx, key, action) {
			return rpcstatus.Error(rpcstatus.PermissionDenied, msgUnauthorized)
		}
	}
	return nil
}

// RequireAny fails with PermissionDenied unless the key permits at least one action.
func (k *Keys) RequireAny(ctx context.Context, key *Key, actions ...macaroon.Action) error {
	for _, action := range actions {
		if k.Allows(ctx, key, action) {
			return nil
		}
	}
	return rpcstatus.Error(rpcstatus.PermissionDenied, msgUnauthorized)
}

// Revoke revokes the raw macaroon revokee on behalf of caller, which must be one of its
// ancestors (a key cannot revoke itself), as the real satellite requires.
func (k *Keys) Revoke(ctx context.Context, caller *Key, revokee []byte) error {
	mac, err := macaroon.ParseMacaroon(revokee)
	if err != nil {
		return rpcstatus.Error(rpcstatus.InvalidArgument, "Unable to parse revokee macaroon")
	}
	if !bytes.Equal(mac.Head(), caller.Record.Head) || !mac.Validate(caller.Record.Secret) {
		return rpcstatus.Error(rpcstatus.InvalidArgument, "Macaroon to revoke invalid")
	}
	if !k.Allows(ctx, caller, macaroon.Action{Op: macaroon.ActionProjectInfo}) {
		return rpcstatus.Error(rpcstatus.PermissionDenied, msgUnauthorized)
	}
	tails := mac.Tails(caller.Record.Secret)
	ancestor := false
	for _, tail := range tails[:len(tails)-1] {
		if bytes.Equal(tail, caller.Macaroon.Tail()) {
			ancestor = true
		}
	}
	if !ancestor {
		return rpcstatus.Error(rpcstatus.PermissionDenied, "Unauthorized attempt to revoke macaroon")
	}
	err = k.db.Update(func(tx *store.Tx) error { return tx.Revoke(mac.Tail()) })
	if err != nil {
		return rpcstatus.Error(rpcstatus.Internal, err.Error())
	}
	return nil
}

// revoker answers macaroon.Check's revocation question from the database.
type revoker struct{ db *store.DB }

func (r revoker) Check(_ context.Context, tails [][]byte) (revoked bool, err error) {
	err = r.db.View(func(tx *store.Tx) error {
		for _, tail := range tails {
			if tx.IsRevoked(tail) {
				revoked = true
			}
		}
		return nil
	})
	return revoked, err
}
