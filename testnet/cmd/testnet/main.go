// Command testnet starts a local Storj network (one satellite, N storage nodes, the auth service)
// on 127.0.0.1, writes its connection details as JSON and serves a control endpoint until it is
// interrupted (SIGINT/SIGTERM) or its parent process dies.
//
//	go run ./cmd/testnet --data-dir DIR --config-out FILE.json [--nodes 5] [--passphrase testnet]
//	    [--control-addr 127.0.0.1:0] [--auth-endpoint URL] [--gc-interval 30s]
//	    [--tally-interval 1h] [--zombie-deletion-period 24h]
//
// FILE.json (written atomically once everything serves, removed on exit) has the keys of
// network.Info: satellite_id, satellite_address, satellite_url, api_key, passphrase,
// access_grant, auth_address, auth_tls_address, auth_cert_pem, control_url, nodes [{id,
// address}], pid, data_dir. Stdout gets the same as `export STORJ_...=` lines, then
// "testnet ready". Ports are kept in DIR/ports.json and reused on the next start when free.
//
// Control endpoint (JSON; errors are 4xx/5xx with {"error": "..."}):
//
//	GET  /status                  the config file's content
//	POST /projects                {"storage_limit","bandwidth_limit","segment_limit"} (0 = none)
//	                              → {"api_key", "access_grant"}
//	POST /nodes/{i}/stop|start    i = 0..N-1, same port after a restart → {"ok": true}
//	POST /satellite/stop|start    same port, same state → {"ok": true}
//	POST /gc                      garbage collection now → {"ok": true}
//	POST /accounting/tally        the accounting pass now: deleted data stops counting against
//	                              its project's storage and segment limits → {"ok": true}
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"testnet/network"
)

type options struct {
	dataDir      string
	configOut    string
	nodes        int
	passphrase   string
	controlAddr  string
	authEndpoint string
	gcInterval   time.Duration
	tally        time.Duration
	zombies      time.Duration
}

func main() {
	var opts options
	flag.StringVar(&opts.dataDir, "data-dir", "", "directory holding all state (required)")
	flag.StringVar(&opts.configOut, "config-out", "", "JSON file to write the connection details to (required)")
	flag.IntVar(&opts.nodes, "nodes", network.DefaultNodes, "number of storage nodes")
	flag.StringVar(&opts.passphrase, "passphrase", network.DefaultPassphrase, "passphrase of the access grants handed out")
	flag.StringVar(&opts.controlAddr, "control-addr", "127.0.0.1:0", "loopback address of the HTTP control endpoint (port 0: the previous run's port if free)")
	flag.StringVar(&opts.authEndpoint, "auth-endpoint", "", "S3 endpoint returned by the auth service (default https://gateway.example)")
	flag.DurationVar(&opts.gcInterval, "gc-interval", 0, "satellite garbage collection period (0: the satellite's default)")
	flag.DurationVar(&opts.tally, "tally-interval", 0, "how often the accounting pass frees the storage quota of deleted data (0: production's 1h)")
	flag.DurationVar(&opts.zombies, "zombie-deletion-period", 0, "how long a pending upload may go without a new segment before it is deleted (0: production's 24h)")
	flag.Parse()

	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "testnet: "+strings.ReplaceAll(err.Error(), "\n", "; "))
		os.Exit(1)
	}
}

func run(opts options) error {
	switch {
	case opts.dataDir == "":
		return errors.New("--data-dir is required")
	case opts.configOut == "":
		return errors.New("--config-out is required")
	case opts.nodes < 1:
		return fmt.Errorf("--nodes must be at least 1, got %d", opts.nodes)
	case opts.passphrase == "":
		return errors.New("--passphrase must not be empty")
	case opts.tally < 0 || opts.zombies < 0:
		return errors.New("--tally-interval and --zombie-deletion-period must not be negative")
	}
	configOut, err := filepath.Abs(opts.configOut)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go watchParent(ctx, cancel)

	nw, err := network.Start(ctx, network.Config{
		DataDir:      opts.dataDir,
		Nodes:        opts.nodes,
		Passphrase:   opts.passphrase,
		AuthEndpoint: opts.authEndpoint,
		GCInterval:   opts.gcInterval,

		TallyInterval:        opts.tally,
		ZombieDeletionPeriod: opts.zombies,
	})
	if err != nil && ctx.Err() != nil {
		return nil // told to stop while starting: not a failure
	} else if err != nil {
		return err
	}
	defer func() { _ = nw.Close() }()
	// A file left by an earlier run must not be mistaken for this one's (the data directory is
	// ours now, so no other live network wrote it).
	if err := os.Remove(configOut); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove old config file: %w", err)
	}

	controlListener, err := listenControl(opts.controlAddr, nw.SavedControlPort())
	if err != nil {
		return err
	}
	if err := nw.SetControlPort(controlListener.Addr().(*net.TCPAddr).Port); err != nil {
		_ = controlListener.Close()
		return err
	}
	info := nw.Info("http://"+controlListener.Addr().String(), os.Getpid())
	control := &http.Server{Handler: newControlHandler(nw, info), ReadHeaderTimeout: 10 * time.Second}
	controlDone := make(chan error, 1)
	go func() { controlDone <- control.Serve(controlListener) }()
	defer func() {
		shutdownCtx, cancelShutdown := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancelShutdown()
		_ = control.Shutdown(shutdownCtx)
	}()

	if err := writeConfig(configOut, info); err != nil {
		return err
	}
	defer func() { _ = os.Remove(configOut) }()
	printEnvironment(os.Stdout, info)
	// Deriving the access grant's key (argon2) took 64 MiB that the idle network no longer needs.
	debug.FreeOSMemory()

	select {
	case <-ctx.Done():
		return nil
	case err := <-controlDone:
		return fmt.Errorf("control endpoint: %w", err)
	}
}

// listenControl listens on addr; with port 0 it prefers the previous run's port.
func listenControl(addr string, savedPort int) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--control-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--control-addr %q: must be a loopback address", addr)
	}
	if port == "0" && savedPort > 0 {
		if lis, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(savedPort))); err == nil {
			return lis, nil
		}
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("control endpoint: %w", err)
	}
	return lis, nil
}
