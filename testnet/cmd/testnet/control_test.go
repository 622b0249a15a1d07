package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"testnet/network"
)

func TestProjectRequestLimits(t *testing.T) {
	for _, tc := range []struct {
		body string
		want network.ProjectLimits
	}{
		// Absent or null: the real satellite's defaults.
		{`{}`, network.ProjectLimits{Buckets: 100, RequestRate: 100, RequestBurst: 100}},
		{`{"bucket_limit":null,"rate_limit":null,"burst_limit":null}`, network.ProjectLimits{Buckets: 100, RequestRate: 100, RequestBurst: 100}},
		// A rate alone bursts as much as it allows a second; a burst alone keeps the default rate.
		{`{"rate_limit":7}`, network.ProjectLimits{Buckets: 100, RequestRate: 7, RequestBurst: 7}},
		{`{"burst_limit":3}`, network.ProjectLimits{Buckets: 100, RequestRate: 100, RequestBurst: 3}},
		// 0: no limit.
		{`{"bucket_limit":0,"rate_limit":0,"storage_limit":5,"bandwidth_limit":6,"segment_limit":8}`,
			network.ProjectLimits{StorageBytes: 5, BandwidthBytes: 6, Segments: 8}},
		{`{"bucket_limit":2,"rate_limit":10,"burst_limit":20}`, network.ProjectLimits{Buckets: 2, RequestRate: 10, RequestBurst: 20}},
	} {
		var req projectRequest
		if err := json.Unmarshal([]byte(tc.body), &req); err != nil {
			t.Fatal(err)
		}
		got, err := req.limits()
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.body, got, err, tc.want)
		}
	}
}

func TestCreateProjectRefusesBadRequests(t *testing.T) {
	handler := newControlHandler(nil, network.Info{})
	for _, body := range []string{`{"bucket_limit":-1}`, `{"rate_limit":-5}`, `{"burst_limit":-1}`, `{"storage_limit":-1}`,
		`{"bucket_limt":3}`, `{"rate_limit":"fast"}`} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/projects", strings.NewReader(body)))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "error") {
			t.Errorf("%s: %d %s", body, rec.Code, rec.Body)
		}
	}
}
