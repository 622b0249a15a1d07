package network

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"testnet/internal/atomicfile"
)

// ports are the TCP ports a network used, kept in the data directory so that a restart listens on
// the same ones and access grants (which name the satellite's port) stay valid.
type ports struct {
	Satellite int   `json:"satellite"`
	Nodes     []int `json:"nodes"`
	Auth      int   `json:"auth"`
	AuthTLS   int   `json:"auth_tls"`
	Control   int   `json:"control"`
}

const portsFile = "ports.json"

func loadPorts(dataDir string) (ports, error) {
	var p ports
	data, err := os.ReadFile(filepath.Join(dataDir, portsFile))
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	} else if err != nil {
		return p, fmt.Errorf("read ports: %w", err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("decode %s: %w", portsFile, err)
	}
	return p, nil
}

func savePorts(dataDir string, p ports) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("encode ports: %w", err)
	}
	return atomicfile.Write(filepath.Join(dataDir, portsFile), data, 0o600)
}

// listenPreferring listens on 127.0.0.1:port when port is set and free, else on a new free port.
func listenPreferring(port int) (net.Listener, error) {
	if port > 0 {
		if lis, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err == nil {
			return lis, nil
		}
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1: %w", err)
	}
	return lis, nil
}

func portOf(lis net.Listener) int { return lis.Addr().(*net.TCPAddr).Port }
