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
	p, err := valueOf[*project](handle)
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
	ctx, cancel := context.WithCancel(projectContext(goString(config.temp_directory)))
	var opened *uplink.Project
	err := withAccess(handle, func(a *uplink.Access) (err error) {
		opened, err = uplinkConfig(config).OpenProject(ctx, a)
		return err
	})
	if err != nil {
		cancel()
		return C.UplinkProjectResult{error: newError(err)}
	}
	value := &project{ctx: ctx, cancel: cancel, project: opened}
	return C.UplinkProjectResult{project: (*C.UplinkProject)(newHandle(value))}
}

// uplink_open_project opens a project, the connection to the satellite that all bucket and object
// calls go through, under the default configuration.
//
//export uplink_open_project
func uplink_open_project(access *C.UplinkAccess) C.UplinkProjectResult {
	return openProject(C.UplinkConfig{}, access)
}

// uplink_config_open_project opens a project under the given configuration (user agent, dial
// timeout, temp_directory for upload buffers).
//
//export uplink_config_open_project
func uplink_config_open_project(config C.UplinkConfig, access *C.UplinkAccess) C.UplinkProjectResult {
	return openProject(config, access)
}

// uplink_close_project closes the project: calls still running on it, and its uploads, downloads
// and listings, end with CANCELED. Its handle stays valid until freed.
//
//export uplink_close_project
func uplink_close_project(handle *C.UplinkProject) *C.UplinkError {
	p, err := valueOf[*project](handle)
	if err != nil {
		return newError(err)
	}
	return newError(p.close())
}

// uplink_free_project_result frees a project result: its error and its project handle (a project
// not closed yet is closed).
//
//export uplink_free_project_result
func uplink_free_project_result(result C.UplinkProjectResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.project))
}

// uplink_revoke_access revokes, on the satellite, the API key of an access grant derived from the
// project's; every grant derived from it stops working too.
//
//export uplink_revoke_access
func uplink_revoke_access(handle *C.UplinkProject, accessHandle *C.UplinkAccess) *C.UplinkError {
	return newError(withAccess(accessHandle, func(a *uplink.Access) error {
		return withProject(handle, func(ctx context.Context, project *uplink.Project) error {
			return project.RevokeAccess(ctx, a)
		})
	}))
}
