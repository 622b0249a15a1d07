//go:build !linux

package main

import "errors"

// wakeups is measured on Linux only (eventfd, sched_setaffinity).
func wakeups(int) (map[string]any, error) {
	return nil, errors.New("the wake-up measurement needs Linux")
}
