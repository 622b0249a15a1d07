package main

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// wakeups measures what one thread waking another costs on this machine: two OS threads pass a
// token n times through a pair of eventfds, first pinned to two different CPUs, then both to one.
// It is the price of each hand-off between threads that a call from C makes and pure Go does not
// (../README.md): on virtual CPUs, waking a thread on an idle CPU is far dearer than a switch on one.
func wakeups(n int) (map[string]any, error) {
	result := map[string]any{}
	if runtime.NumCPU() >= 2 {
		us, err := pingPong(n, 0, 1)
		if err != nil {
			return nil, err
		}
		result["across_cpus_us"] = us
	}
	us, err := pingPong(n, 0, 0)
	if err != nil {
		return nil, err
	}
	result["same_cpu_us"] = us
	return result, nil
}

// pingPong returns the microseconds of one wake-up: half a round trip between a thread on CPU a
// and one on CPU b.
func pingPong(n, a, b int) (float64, error) {
	ping, err := eventfd()
	if err != nil {
		return 0, err
	}
	defer syscall.Close(ping)
	pong, err := eventfd()
	if err != nil {
		return 0, err
	}
	defer syscall.Close(pong)
	peer := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := pinThread(b); err != nil {
			peer <- err
			return
		}
		defer unpinThread() // before the thread goes back to Go's pool
		peer <- nil
		for i := 0; i < n; i++ {
			if err := pass(ping, pong); err != nil {
				peer <- err
				return
			}
		}
		peer <- nil
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := <-peer; err != nil {
		return 0, err
	}
	if err := pinThread(a); err != nil {
		return 0, err
	}
	defer unpinThread()
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := signal(ping); err != nil {
			return 0, err
		}
		if err := wait(pong); err != nil {
			return 0, err
		}
	}
	elapsed := time.Since(start)
	if err := <-peer; err != nil {
		return 0, err
	}
	return float64(elapsed.Microseconds()) / float64(n) / 2, nil
}

// pass waits for a token on in and sends it on out.
func pass(in, out int) error {
	if err := wait(in); err != nil {
		return err
	}
	return signal(out)
}

func eventfd() (int, error) {
	fd, _, errno := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return -1, fmt.Errorf("eventfd: %w", errno)
	}
	return int(fd), nil
}

func signal(fd int) error {
	one := uint64(1)
	if _, err := syscall.Write(fd, (*[8]byte)(unsafe.Pointer(&one))[:]); err != nil {
		return fmt.Errorf("eventfd write: %w", err)
	}
	return nil
}

func wait(fd int) error {
	var value [8]byte
	for {
		_, err := syscall.Read(fd, value[:])
		if err != syscall.EINTR {
			if err != nil {
				return fmt.Errorf("eventfd read: %w", err)
			}
			return nil
		}
	}
}

// pinThread binds the calling OS thread to one CPU.
func pinThread(cpu int) error {
	var mask [16]uint64
	mask[cpu/64] |= 1 << (cpu % 64)
	return setAffinity(&mask)
}

// unpinThread lets the calling OS thread run on every CPU again.
func unpinThread() {
	var mask [16]uint64
	for cpu := 0; cpu < runtime.NumCPU(); cpu++ {
		mask[cpu/64] |= 1 << (cpu % 64)
	}
	_ = setAffinity(&mask)
}

func setAffinity(mask *[16]uint64) error {
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(*mask), uintptr(unsafe.Pointer(mask)))
	if errno != 0 {
		return fmt.Errorf("sched_setaffinity: %w", errno)
	}
	return nil
}
