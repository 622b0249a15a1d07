// Package peer holds what every peer of the local network shares: its storj identity and a
// listener that speaks Storj's transport (the DRPC!!!1 header, then TLS from the identity).
package peer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"storj.io/common/identity"
)

// LoadOrCreateIdentity loads the identity kept in dir (identity.cert, identity.key), or creates and
// saves a new one. Difficulty 0 is enough: the client checks no difficulty.
func LoadOrCreateIdentity(ctx context.Context, dir string) (*identity.FullIdentity, error) {
	config := identity.Config{
		CertPath: filepath.Join(dir, "identity.cert"),
		KeyPath:  filepath.Join(dir, "identity.key"),
	}
	if _, err := os.Stat(config.CertPath); err == nil {
		ident, err := config.Load()
		if err != nil {
			return nil, fmt.Errorf("load identity from %s: %w", dir, err)
		}
		return ident, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("stat identity in %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create identity directory: %w", err)
	}
	ident, err := identity.NewFullIdentity(ctx, identity.NewCAOptions{Difficulty: 0, Concurrency: 1})
	if err != nil {
		return nil, fmt.Errorf("generate identity: %w", err)
	}
	if err := config.Save(ident); err != nil {
		return nil, fmt.Errorf("save identity to %s: %w", dir, err)
	}
	return ident, nil
}
