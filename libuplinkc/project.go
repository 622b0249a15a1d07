package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"fmt"
	"sync"
	"unsafe"

	"storj.io/common/fpath"
	"storj.io/uplink"
)

// errProjectClosed is what calls on a closed project return (code CANCELED: close cancels them).
var errProjectClosed = fmt.Errorf("project is closed: %w", context.Canceled)

// project is the value behind an UplinkProject handle. storj.io/uplink's Project is safe for
// concurrent use, so calls on one project run in parallel under the read lock; close takes the
// write lock after cancelling ctx, so it waits only for calls that are already failing.
// Uploads, downloads and iterators run under children of ctx: closing the project cancels them.
type project struct {
	mu      sync.RWMutex
	ctx     context.Context
	cancel  context.CancelFunc
	project *uplink.Project
	closed  bool
}

func getProject(p *C.UplinkProject) (*project, error) {
	if p == nil {
		return nil, errorNull("project")
	}
	return lookup[*project](universe, handleOf(unsafe.Pointer(p)), "UplinkProject")
}

// projectContext is the root context of a project: temp_directory decides where upload buffers
// go ("inmemory": memory; NULL or "": the system temp directory).
func projectContext(tempDirectory string) context.Context {
	ctx := context.Background()
	if tempDirectory == "inmemory" {
		return fpath.WithTempData(ctx, "", true)
	}
	return fpath.WithTempData(ctx, tempDirectory, false)
}

// run calls fn with the project's context unless the project is closed.
func (p *project) run(fn func(ctx context.Context, project *uplink.Project) error) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return errProjectClosed
	}
	return fn(p.ctx, p.project)
}

// withProject looks up the project handle and runs fn on it.
func withProject(handle *C.UplinkProject, fn func(ctx context.Context, project *uplink.Project) error) error {
	p, err := getProject(handle)
	if err != nil {
		return err
	}
	return p.run(fn)
}

// close cancels everything running on the project, then closes it once.
func (p *project) close() error {
	p.cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	return p.project.Close()
}

// release closes a project freed without uplink_close_project.
func (p *project) release() {
	_ = p.close()
}

func openProject(config C.UplinkConfig, handle *C.UplinkAccess) C.UplinkProjectResult {
	a, err := getAccess(handle)
	if err != nil {
		return C.UplinkProjectResult{error: newError(err)}
	}
	ctx, cancel := context.WithCancel(projectContext(goString(config.temp_directory)))
	a.mu.Lock()
	opened, err := uplinkConfig(config).OpenProject(ctx, a.access)
	a.mu.Unlock()
	if err != nil {
		cancel()
		return C.UplinkProjectResult{error: newError(err)}
	}
	value := &project{ctx: ctx, cancel: cancel, project: opened}
	return C.UplinkProjectResult{project: (*C.UplinkProject)(newHandle(value))}
}

//export uplink_open_project
func uplink_open_project(access *C.UplinkAccess) C.UplinkProjectResult {
	return openProject(C.UplinkConfig{}, access)
}

//export uplink_config_open_project
func uplink_config_open_project(config C.UplinkConfig, access *C.UplinkAccess) C.UplinkProjectResult {
	return openProject(config, access)
}

//export uplink_close_project
func uplink_close_project(handle *C.UplinkProject) *C.UplinkError {
	p, err := getProject(handle)
	if err != nil {
		return newError(err)
	}
	return newError(p.close())
}

//export uplink_free_project_result
func uplink_free_project_result(result C.UplinkProjectResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.project))
}

//export uplink_revoke_access
func uplink_revoke_access(handle *C.UplinkProject, accessHandle *C.UplinkAccess) *C.UplinkError {
	a, err := getAccess(accessHandle)
	if err != nil {
		return newError(err)
	}
	return newError(withProject(handle, func(ctx context.Context, project *uplink.Project) error {
		a.mu.Lock()
		defer a.mu.Unlock()
		return project.RevokeAccess(ctx, a.access)
	}))
}

// childContext is a context under the project's, for an upload, download or iterator that
// outlives the call that creates it.
func (p *project) childContext() (context.Context, context.CancelFunc) {
	return context.WithCancel(p.ctx)
}
