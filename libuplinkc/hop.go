package main

// runDetached runs fn on a fresh goroutine and waits for it once.
//
// A call from C runs on a goroutine locked to the C thread: each time storj.io/uplink parks it
// (Upload.Write keeps only 4 KiB ahead of the encoder) the scheduler hands the thread off and back
// through futex wake-ups. An unlocked goroutine parks cheaply, so the export parks only once.
// Used for data calls only (Read/Commit/Close, and Write above directWriteMax), where it brings large
// transfers to Go's speed (benchmarks/): for small metadata calls and small writes the extra hop
// costs as much as it saves or more.
func runDetached(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

// runInline runs fn on the calling goroutine: the hop of a data call that already runs on a free
// goroutine (the asyncio twins', ext_async.go), where runDetached would only add a goroutine.
func runInline(fn func()) {
	fn()
}
