package network

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDataDir takes an exclusive lock on the data directory: two networks on one directory would
// corrupt each other's state (and the satellite database would block).
func lockDataDir(dataDir string) (*os.File, error) {
	path := filepath.Join(dataDir, "testnet.lock")
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(file.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = file.Close()
		return nil, fmt.Errorf("data directory %s is in use by another testnet", dataDir)
	}
	return file, nil
}
