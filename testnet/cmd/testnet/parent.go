package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"
)

// parentPollInterval is how often the launcher checks that whoever started it is still alive.
const parentPollInterval = 300 * time.Millisecond

// watchParent cancels when the parent process dies (the launcher is then re-parented), so that a
// test runner killed without cleanup does not leave the network running. Under `go run` the
// parent is the go tool, which outlives a killed caller, so the go tool's parent is watched too.
func watchParent(ctx context.Context, cancel context.CancelFunc) {
	parent := os.Getppid()
	grandparent := 0
	if processName(parent) == "go" {
		grandparent = parentOf(parent)
	}
	ticker := time.NewTicker(parentPollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != parent || (grandparent > 1 && !processAlive(grandparent)) {
				cancel()
				return
			}
		}
	}
}

// processStat returns the fields of /proc/pid/stat after the command name (state first), or
// nil when the process does not exist or /proc is unavailable.
func processStat(pid int) []string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	text := string(data)
	end := strings.LastIndexByte(text, ')')
	if end < 0 {
		return nil
	}
	return strings.Fields(text[end+1:])
}

func processName(pid int) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

func parentOf(pid int) int {
	fields := processStat(pid)
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}

// processAlive: a zombie (dead, not yet reaped) counts as dead.
func processAlive(pid int) bool {
	fields := processStat(pid)
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}
