package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"testnet/network"
	"testnet/satellite"
)

// controlTimeout bounds one control request (GC dials every node).
const controlTimeout = time.Minute

// newControlHandler serves the JSON control API tests use to drive the network.
func newControlHandler(net *network.Network, info network.Info) http.Handler {
	c := &controller{net: net, info: info}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", c.status)
	mux.HandleFunc("POST /projects", c.createProject)
	mux.HandleFunc("POST /nodes/{i}/stop", c.node(net.StopNode))
	mux.HandleFunc("POST /nodes/{i}/start", c.node(net.StartNode))
	mux.HandleFunc("POST /satellite/stop", c.ok(func(context.Context) error { return net.StopSatellite() }))
	mux.HandleFunc("POST /satellite/start", c.ok(net.StartSatellite))
	mux.HandleFunc("POST /gc", c.ok(net.CollectGarbage))
	mux.HandleFunc("POST /accounting/tally", c.ok(net.Tally))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no endpoint %s %s", r.Method, r.URL.Path))
	})
	return mux
}

type controller struct {
	net  *network.Network
	info network.Info
}

func (c *controller) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, c.info)
}

// projectRequest is the body of POST /projects. Storage, bandwidth and segment limits: absent or 0
// is no limit. Bucket, rate and burst limits: absent or null is the real satellite's default
// (burst: the rate), 0 is no limit.
type projectRequest struct {
	StorageLimit   int64  `json:"storage_limit"`
	BandwidthLimit int64  `json:"bandwidth_limit"`
	SegmentLimit   int64  `json:"segment_limit"`
	BucketLimit    *int64 `json:"bucket_limit"`
	RateLimit      *int64 `json:"rate_limit"`
	BurstLimit     *int64 `json:"burst_limit"`
}

// limits resolves the request against the real satellite's defaults, refusing negative values.
func (req projectRequest) limits() (network.ProjectLimits, error) {
	limits := satellite.ProductionLimits()
	limits.StorageBytes, limits.BandwidthBytes, limits.Segments = req.StorageLimit, req.BandwidthLimit, req.SegmentLimit
	if req.BucketLimit != nil {
		limits.Buckets = *req.BucketLimit
	}
	if req.RateLimit != nil {
		limits.RequestRate, limits.RequestBurst = *req.RateLimit, *req.RateLimit
	}
	if req.BurstLimit != nil {
		limits.RequestBurst = *req.BurstLimit
	}
	for _, v := range []int64{limits.StorageBytes, limits.BandwidthBytes, limits.Segments, limits.Buckets, limits.RequestRate, limits.RequestBurst} {
		if v < 0 {
			return network.ProjectLimits{}, errors.New("limits must not be negative")
		}
	}
	return limits, nil
}

type projectResponse struct {
	APIKey      string `json:"api_key"`
	AccessGrant string `json:"access_grant"`
}

func (c *controller) createProject(w http.ResponseWriter, r *http.Request) {
	var req projectRequest
	decoder := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	decoder.DisallowUnknownFields()
	// an empty body is a project with the real satellite's default limits
	if err := decoder.Decode(&req); err != nil && !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("bad project request: %w", err))
		return
	}
	limits, err := req.limits()
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
	defer cancel()
	apiKey, grant, err := c.net.CreateProject(ctx, limits)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, projectResponse{APIKey: apiKey, AccessGrant: grant})
}

func (c *controller) node(action func(int) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("i"))
		if err != nil || i < 0 || i >= c.net.NodeCount() {
			writeError(w, http.StatusNotFound, fmt.Errorf("no node %q: nodes are 0..%d", r.PathValue("i"), c.net.NodeCount()-1))
			return
		}
		if err := action(i); err != nil {
			writeError(w, statusOf(err), err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
}

func (c *controller) ok(action func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
		defer cancel()
		if err := action(ctx); err != nil {
			writeError(w, statusOf(err), err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
}

func statusOf(err error) int {
	if errors.Is(err, network.ErrStopped) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, value any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(value)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
