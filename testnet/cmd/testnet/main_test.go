package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"storj.io/uplink"
)

// The test binary doubles as the launcher: the tests run it as a child process, as users and the
// Python fixture run the real command.
func TestMain(m *testing.M) {
	if os.Getenv("TESTNET_LAUNCHER_UNDER_TEST") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type launcher struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
}

// syncBuffer is written by the exec package's copying goroutine while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startLauncher(t *testing.T, args ...string) *launcher {
	t.Helper()
	l := &launcher{t: t, stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	l.cmd = exec.Command(os.Args[0], args...)
	l.cmd.Env = append(os.Environ(), "TESTNET_LAUNCHER_UNDER_TEST=1")
	l.cmd.Stdout, l.cmd.Stderr = l.stdout, l.stderr
	if err := l.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if l.cmd.ProcessState == nil {
			_ = l.cmd.Process.Kill()
			_ = l.cmd.Wait()
		}
	})
	return l
}

// waitConfig waits for the JSON file and returns its raw keys.
func (l *launcher) waitConfig(path string) map[string]json.RawMessage {
	l.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			var config map[string]json.RawMessage
			if err := json.Unmarshal(data, &config); err != nil {
				l.t.Fatalf("config file is not JSON (not written atomically?): %v", err)
			}
			return config
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("no config file after 20 s; stderr: %s", l.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *launcher) stop() {
	l.t.Helper()
	if err := l.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		l.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			l.t.Fatalf("launcher exited with %v; stderr: %s", err, l.stderr)
		}
	case <-time.After(10 * time.Second):
		l.t.Fatal("launcher did not stop within 10 s of SIGTERM")
	}
}

func str(t *testing.T, config map[string]json.RawMessage, key string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(config[key], &s); err != nil {
		t.Fatalf("key %s: %v", key, err)
	}
	return s
}

func post(t *testing.T, url string, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var decoded map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&decoded); err != nil {
		t.Fatalf("POST %s: response is not JSON: %v", url, err)
	}
	return resp.StatusCode, decoded
}

func TestLauncher(t *testing.T) {
	dir := t.TempDir()
	dataDir, configPath := filepath.Join(dir, "data"), filepath.Join(dir, "testnet.json")
	args := []string{"--data-dir", dataDir, "--config-out", configPath, "--nodes", "3", "--passphrase", "pass word"}
	l := startLauncher(t, args...)
	config := l.waitConfig(configPath)

	wantKeys := []string{"satellite_id", "satellite_address", "satellite_url", "api_key", "passphrase", "access_grant",
		"auth_address", "auth_tls_address", "auth_cert_pem", "control_url", "nodes", "pid", "data_dir"}
	var keys []string
	for key := range config {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	slices.Sort(wantKeys)
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("config keys %v, want %v", keys, wantKeys)
	}
	var nodes []map[string]string
	if err := json.Unmarshal(config["nodes"], &nodes); err != nil || len(nodes) != 3 {
		t.Fatalf("nodes %s: %v", config["nodes"], err)
	}
	if str(t, config, "satellite_url") != str(t, config, "satellite_id")+"@"+str(t, config, "satellite_address") {
		t.Fatal("satellite_url is not id@address")
	}
	if str(t, config, "passphrase") != "pass word" || str(t, config, "data_dir") != dataDir {
		t.Fatal("passphrase or data_dir wrong")
	}
	if pem, err := os.ReadFile(str(t, config, "auth_cert_pem")); err != nil || !bytes.HasPrefix(pem, []byte("-----BEGIN CERTIFICATE")) {
		t.Fatalf("auth_cert_pem: %v", err)
	}
	waitOutput(t, l, "testnet ready")
	if !strings.Contains(l.stdout.String(), "export STORJ_PASSPHRASE='pass word'\n") ||
		!strings.Contains(l.stdout.String(), "export STORJ_ACCESS="+str(t, config, "access_grant")+"\n") {
		t.Fatalf("environment lines missing: %s", l.stdout)
	}

	// The access grant works with the real client.
	access, err := uplink.ParseAccess(str(t, config, "access_grant"))
	if err != nil {
		t.Fatal(err)
	}
	putObject(t, access, "hello")

	// Control endpoint.
	control := str(t, config, "control_url")
	status, project := post(t, control+"/projects", `{"storage_limit":1000000,"bandwidth_limit":0,"segment_limit":10}`)
	if status != 200 || project["api_key"] == "" || project["access_grant"] == "" {
		t.Fatalf("POST /projects: %d %v", status, project)
	}
	for _, path := range []string{"/nodes/0/stop", "/nodes/0/start", "/satellite/stop", "/satellite/start", "/gc", "/accounting/tally"} {
		if status, body := post(t, control+path, ""); status != 200 || body["ok"] != true {
			t.Fatalf("POST %s: %d %v", path, status, body)
		}
	}
	if status, body := post(t, control+"/nodes/3/stop", ""); status != 404 || body["error"] == nil {
		t.Fatalf("POST /nodes/3/stop: %d %v", status, body)
	}
	post(t, control+"/satellite/stop", "")
	if status, body := post(t, control+"/projects", "{}"); status != 503 || body["error"] == nil {
		t.Fatalf("POST /projects with the satellite stopped: %d %v", status, body)
	}
	if status, body := post(t, control+"/accounting/tally", ""); status != 503 || body["error"] == nil {
		t.Fatalf("POST /accounting/tally with the satellite stopped: %d %v", status, body)
	}
	post(t, control+"/satellite/start", "")
	resp, err := http.Get(control + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var statusConfig map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&statusConfig); err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if string(statusConfig["access_grant"]) != string(config["access_grant"]) {
		t.Fatal("GET /status differs from the config file")
	}

	// A second launcher on the same directory refuses to start, with a one-line reason.
	second := startLauncher(t, "--data-dir", dataDir, "--config-out", filepath.Join(dir, "other.json"))
	if err := second.cmd.Wait(); err == nil {
		t.Fatal("a second launcher on the same data dir started")
	}
	if lines := strings.Split(strings.TrimSpace(second.stderr.String()), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "in use") {
		t.Fatalf("second launcher stderr: %q", second.stderr)
	}

	l.stop()
	if _, err := os.Stat(configPath); !os.IsNotExist(err) {
		t.Fatal("config file left after stop")
	}

	// A restart keeps ports, keys and objects: the old access grant still works.
	restarted := startLauncher(t, args...)
	again := restarted.waitConfig(configPath)
	for _, key := range []string{"satellite_url", "api_key", "access_grant", "auth_address", "control_url", "nodes"} {
		if string(again[key]) != string(config[key]) {
			t.Fatalf("%s changed across restart: %s → %s", key, config[key], again[key])
		}
	}
	getObject(t, access, "hello")
	restarted.stop()
}

func waitOutput(t *testing.T, l *launcher, line string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(l.stdout.String(), line+"\n") {
		if time.Now().After(deadline) {
			t.Fatalf("no %q line; stdout: %s", line, l.stdout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// withProject opens the project of access for fn and closes it after.
func withProject(t *testing.T, access *uplink.Access, fn func(ctx context.Context, project *uplink.Project)) {
	t.Helper()
	ctx := context.Background()
	project, err := uplink.OpenProject(ctx, access)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = project.Close() }()
	fn(ctx, project)
}

func putObject(t *testing.T, access *uplink.Access, key string) {
	t.Helper()
	withProject(t, access, func(ctx context.Context, project *uplink.Project) {
		if _, err := project.EnsureBucket(ctx, "launcher"); err != nil {
			t.Fatal(err)
		}
		upload, err := project.UploadObject(ctx, "launcher", key, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := upload.Write(bytes.Repeat([]byte(key), 5000)); err != nil {
			t.Fatal(err)
		}
		if err := upload.Commit(); err != nil {
			t.Fatal(err)
		}
	})
}

func getObject(t *testing.T, access *uplink.Access, key string) {
	t.Helper()
	withProject(t, access, func(ctx context.Context, project *uplink.Project) {
		download, err := project.DownloadObject(ctx, "launcher", key, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = download.Close() }()
		data, err := io.ReadAll(bufio.NewReader(download))
		if err != nil || !bytes.Equal(data, bytes.Repeat([]byte(key), 5000)) {
			t.Fatalf("object after restart: %d bytes, %v", len(data), err)
		}
	})
}

// A launcher whose parent dies stops by itself (and removes its config file).
func TestLauncherStopsWhenParentDies(t *testing.T) {
	dir := t.TempDir()
	configPath := filepath.Join(dir, "testnet.json")
	shell := exec.Command("/bin/sh", "-c", `"$0" "$@" & wait`, os.Args[0],
		"--data-dir", filepath.Join(dir, "data"), "--config-out", configPath, "--nodes", "1")
	shell.Env = append(os.Environ(), "TESTNET_LAUNCHER_UNDER_TEST=1")
	if err := shell.Start(); err != nil {
		t.Fatal(err)
	}
	l := &launcher{t: t, stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	config := l.waitConfig(configPath)
	var pid int
	if err := json.Unmarshal(config["pid"], &pid); err != nil {
		t.Fatal(err)
	}
	_ = shell.Process.Kill()
	_ = shell.Wait()

	deadline := time.Now().Add(5 * time.Second)
	for {
		_, statErr := os.Stat(configPath)
		if os.IsNotExist(statErr) && !processAlive(pid) {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("launcher still running 5 s after its parent died")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
