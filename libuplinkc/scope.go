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

// newChild starts work under a new child scope of ctx and returns a new handle for what start
// returned, locked, with finish to end it if the handle is freed first. When start fails the
// scope is cancelled at once and no handle is made.
func newChild[T any](ctx context.Context, start func(ctx context.Context) (T, error), finish func(T) error) (unsafe.Pointer, error) {
	ctx, cancel := context.WithCancel(ctx)
	started, err := start(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	return newHandle(&locked[T]{scope: scope{ctx: ctx, cancel: cancel}, value: started, finish: finish}), nil
}

// startChild is newChild under the context of the project behind the handle project (none when
// the project is closed).
func startChild[T any](project *C.UplinkProject, start func(ctx context.Context, p *uplink.Project) (T, error),
	finish func(T) error) (unsafe.Pointer, error) {
	var handle unsafe.Pointer
	err := withProject(project, func(ctx context.Context, p *uplink.Project) (err error) {
		handle, err = newChild(ctx, func(ctx context.Context) (T, error) { return start(ctx, p) }, finish)
		return err
	})
	return handle, err
}
