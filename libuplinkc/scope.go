package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"unsafe"

	"storj.io/uplink"
)

// scope is the context of work that outlives the export which started it (an upload, a download,
// a listing). It is a child of its project's context, so closing the project cancels it, and it
// ends when its handle is freed.
type scope struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// end cancels the scope's context; the zero scope (an access, a listing that never started) has
// nothing to cancel.
func (s scope) end() {
	if s.cancel != nil {
		s.cancel()
	}
}

// startChild starts work on the project under a new child scope and returns a new handle for
// what start returned, locked, with finish to end it if the handle is freed first. When start
// fails (or the project is closed) the scope is cancelled at once and no handle is made.
func startChild[T any](project *C.UplinkProject, start func(ctx context.Context, p *uplink.Project) (T, error),
	finish func(T) error) (unsafe.Pointer, error) {
	var value *locked[T]
	err := withProject(project, func(ctx context.Context, p *uplink.Project) error {
		ctx, cancel := context.WithCancel(ctx)
		started, err := start(ctx, p)
		if err != nil {
			cancel()
			return err
		}
		value = &locked[T]{scope: scope{ctx: ctx, cancel: cancel}, value: started, finish: finish}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newHandle(value), nil
}
