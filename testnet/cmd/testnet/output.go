package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"testnet/internal/atomicfile"
	"testnet/network"
)

// writeConfig writes info atomically: readers polling for the file never see it half written.
func writeConfig(path string, info network.Info) error {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	return atomicfile.Write(path, append(data, '\n'), 0o600)
}

// printEnvironment prints the variables storj tools and the examples read, then the ready line.
func printEnvironment(w io.Writer, info network.Info) {
	for _, v := range [][2]string{
		{"STORJ_SATELLITE", info.SatelliteURL},
		{"STORJ_API_KEY", info.APIKey},
		{"STORJ_PASSPHRASE", info.Passphrase},
		{"STORJ_ACCESS", info.AccessGrant},
	} {
		fmt.Fprintf(w, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	fmt.Fprintln(w, "testnet ready")
}

// shellQuote quotes s for POSIX shells when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@:._-/+=", r))
	}) < 0
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
