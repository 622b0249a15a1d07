package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
)

// serveFunc serves on lis until ctx ends.
type serveFunc func(ctx context.Context, lis net.Listener) error

// server runs one serveFunc in the background and can stop it and start it again on the same
// address.
type server struct {
	name   string
	addr   string
	cancel context.CancelFunc
	done   chan error
}

// start serves on lis (already listening); addr is kept for restarts.
func (s *server) start(lis net.Listener, serve serveFunc) {
	s.addr = lis.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done = make(chan error, 1)
	go func() {
		err := serve(ctx, lis)
		if err != nil {
			fmt.Fprintf(os.Stderr, "testnet: %s stopped: %v\n", s.name, err)
		}
		s.done <- err
	}()
}

// restart listens on the same address again and serves.
func (s *server) restart(serve serveFunc) error {
	if s.running() {
		return fmt.Errorf("%s is already running", s.name)
	}
	lis, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("restart %s on %s: %w", s.name, s.addr, err)
	}
	s.start(lis, serve)
	return nil
}

// servable is a satellite or a storage node, as a server runs it.
type servable interface {
	Serve(ctx context.Context, lis net.Listener) error
	Close() error
}

// restartPeer opens a peer and serves it on the server's port again; a peer that cannot serve is
// closed again.
func restartPeer[P servable](s *server, open func() (P, error)) (P, error) {
	p, err := open()
	if err != nil {
		return p, err
	}
	if err := s.restart(p.Serve); err != nil {
		_ = p.Close()
		var none P
		return none, err
	}
	return p, nil
}

func (s *server) running() bool { return s.cancel != nil }

// stop ends serving and waits for it.
func (s *server) stop() error {
	if !s.running() {
		return nil
	}
	s.cancel()
	err := <-s.done
	s.cancel, s.done = nil, nil
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	return nil
}
