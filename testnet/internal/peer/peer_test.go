package peer

import (
	"context"
	"testing"
)

func TestIdentityIsStableAcrossLoads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, err := LoadOrCreateIdentity(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := LoadOrCreateIdentity(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != second.ID {
		t.Fatalf("identity changed across loads: %s then %s", first.ID, second.ID)
	}
}
