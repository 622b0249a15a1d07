package peer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"golang.org/x/sync/errgroup"

	"storj.io/common/identity"
	"storj.io/common/peertls/tlsopts"
	"storj.io/drpc/drpcmigrate"
	"storj.io/drpc/drpcmux"
	"storj.io/drpc/drpcserver"
)

// TLSOptions are the TLS options of a peer with the given identity: any client certificate chain
// is accepted and verified, with no difficulty or whitelist check, as the real network does.
func TLSOptions(ident *identity.FullIdentity) (*tlsopts.Options, error) {
	opts, err := tlsopts.NewOptions(ident, tlsopts.Config{PeerIDVersions: "*"}, nil)
	if err != nil {
		return nil, fmt.Errorf("tls options: %w", err)
	}
	return opts, nil
}

// Serve serves mux on lis the way Storj peers do: the client sends the 8-byte DRPC!!!1 header, then
// a TLS handshake with the peer's identity, then DRPC. It returns when ctx ends (nil) or the
// listener fails. lis is closed on return.
func Serve(ctx context.Context, lis net.Listener, ident *identity.FullIdentity, mux *drpcmux.Mux) error {
	opts, err := TLSOptions(ident)
	if err != nil {
		_ = lis.Close()
		return err
	}
	lmux := drpcmigrate.NewListenMux(lis, len(drpcmigrate.DRPCHeader))
	tlsListener := tls.NewListener(lmux.Route(drpcmigrate.DRPCHeader), opts.ServerTLSConfig())
	server := drpcserver.New(mux)

	group, gctx := errgroup.WithContext(ctx)
	group.Go(func() error { return lmux.Run(gctx) })
	group.Go(func() error { return server.Serve(gctx, tlsListener) })
	err = group.Wait()
	if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("serve %s: %w", lis.Addr(), err)
}
