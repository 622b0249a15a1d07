// Command uplinkbench is the native-Go side of the uplink_python benchmark: the same operations as
// ../bench_py.py, done with storj.io/uplink v1.14.0 directly.
//
//	uplinkbench serve --access GRANT      reads one JSON command per line on stdin, answers one JSON line
//	uplinkbench rss --access GRANT --direction up|down --bucket B --key K --file F
//	                                      one 4 MiB-chunked file transfer in a fresh process; prints peak RSS
//
// Both sides answer the same commands (see ../README.md) so run.py can alternate them.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"storj.io/uplink"
)

// fileChunk is the chunk both sides stream files through (uplink_python's COPY_BUFSIZE).
const fileChunk = 4 << 20

// command is one request from run.py; unused fields stay zero.
type command struct {
	Op      string `json:"op"`
	Mode    string `json:"mode"`
	Bucket  string `json:"bucket"`
	Key     string `json:"key"`
	Prefix  string `json:"prefix"`
	File    string `json:"file"`
	Size    int64  `json:"size"`
	N       int    `json:"n"`
	Threads int    `json:"threads"`
	// Concurrency is how many of many_small's objects are in flight at once (1: one by one).
	Concurrency int      `json:"concurrency"`
	BufSize     int      `json:"bufsize"`
	Keys        []string `json:"keys"`
}

// usage is what the process spent during one command (getrusage over all threads).
type usage struct {
	CPUSeconds  float64 `json:"cpu_seconds"`
	Voluntary   int64   `json:"voluntary_ctx_switches"`
	Involuntary int64   `json:"involuntary_ctx_switches"`
}

type bench struct {
	ctx     context.Context
	project *uplink.Project
	readBuf []byte // the one reused buffer of "readinto" downloads
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: uplinkbench serve|rss --access GRANT ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "rss":
		err = rss(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "uplinkbench:", err)
		os.Exit(1)
	}
}

// openProject parses a subcommand's arguments, with the -access flag every subcommand has, and
// opens the project of that access grant.
func openProject(ctx context.Context, flags *flag.FlagSet, args []string) (*uplink.Project, error) {
	grant := flags.String("access", "", "serialized access grant")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	access, err := uplink.ParseAccess(*grant)
	if err != nil {
		return nil, err
	}
	return uplink.OpenProject(ctx, access)
}

func serve(args []string) error {
	ctx := context.Background()
	project, err := openProject(ctx, flag.NewFlagSet("serve", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	defer func() { _ = project.Close() }()
	b := &bench{ctx: ctx, project: project}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(map[string]any{"ready": true, "impl": "go"}); err != nil {
		return err
	}
	for in.Scan() {
		var cmd command
		if err := json.Unmarshal(in.Bytes(), &cmd); err != nil {
			return err
		}
		if cmd.Op == "quit" {
			return nil
		}
		before := rusage()
		result, err := b.run(cmd)
		after := rusage()
		if result == nil {
			result = map[string]any{}
		}
		result["usage"] = usage{
			CPUSeconds:  after.CPUSeconds - before.CPUSeconds,
			Voluntary:   after.Voluntary - before.Voluntary,
			Involuntary: after.Involuntary - before.Involuntary,
		}
		if err != nil {
			result["error"] = err.Error()
		}
		if err := out.Encode(result); err != nil {
			return err
		}
	}
	return in.Err()
}

func rusage() usage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return usage{CPUSeconds: cpu.Seconds(), Voluntary: ru.Nvcsw, Involuntary: ru.Nivcsw}
}

func (b *bench) run(cmd command) (map[string]any, error) {
	switch cmd.Op {
	case "ensure_bucket":
		_, err := b.project.EnsureBucket(b.ctx, cmd.Bucket)
		return nil, err
	case "upload":
		return b.upload(cmd)
	case "download":
		return b.download(cmd)
	case "upload_parallel":
		return b.uploadParallel(cmd)
	case "delete":
		for _, key := range cmd.Keys {
			if _, err := b.project.DeleteObject(b.ctx, cmd.Bucket, key); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case "fill":
		return nil, b.fill(cmd)
	case "many_small":
		return b.manySmall(cmd)
	case "stat", "list", "put_small", "bucket_cycle":
		return b.small(cmd)
	case "wakeups":
		return wakeups(cmd.N)
	}
	return nil, fmt.Errorf("unknown op %q", cmd.Op)
}

// contents reads the data of an upload from memory before the clock starts. It is not kept between
// commands: a large live heap would make Go collect less often than a program that just uploads.
func (b *bench) contents(path string) ([]byte, error) {
	return os.ReadFile(path)
}

// upload: mode "mem" writes the whole object with one Write; "file" streams the file in 4 MiB chunks.
func (b *bench) upload(cmd command) (map[string]any, error) {
	var data []byte
	if cmd.Mode == "mem" {
		var err error
		if data, err = b.contents(cmd.File); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	var n int64
	var fileIO time.Duration
	var err error
	if cmd.Mode == "mem" {
		n, err = uploadBytes(b.ctx, b.project, cmd.Bucket, cmd.Key, data)
	} else {
		n, fileIO, err = uploadFile(b.ctx, b.project, cmd.Bucket, cmd.Key, cmd.File)
	}
	return map[string]any{"seconds": time.Since(start).Seconds(), "bytes": n, "file_io_seconds": fileIO.Seconds()}, err
}

func uploadBytes(ctx context.Context, project *uplink.Project, bucket, key string, data []byte) (int64, error) {
	upload, err := project.UploadObject(ctx, bucket, key, nil)
	if err != nil {
		return 0, err
	}
	n, err := upload.Write(data)
	if err != nil {
		return int64(n), errors.Join(err, upload.Abort())
	}
	return int64(n), upload.Commit()
}

// timedFile counts the time spent in the file's Read and Write calls.
type timedFile struct {
	f       *os.File
	elapsed time.Duration
}

func (t *timedFile) Read(p []byte) (int, error) {
	start := time.Now()
	n, err := t.f.Read(p)
	t.elapsed += time.Since(start)
	return n, err
}

func (t *timedFile) Write(p []byte) (int, error) {
	start := time.Now()
	n, err := t.f.Write(p)
	t.elapsed += time.Since(start)
	return n, err
}

// uploadFile streams a file in 4 MiB chunks; it also returns the time spent reading the file.
func uploadFile(ctx context.Context, project *uplink.Project, bucket, key, path string) (int64, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = f.Close() }()
	file := &timedFile{f: f}
	upload, err := project.UploadObject(ctx, bucket, key, nil)
	if err != nil {
		return 0, 0, err
	}
	buf := make([]byte, fileChunk)
	var total int64
	for {
		n, readErr := io.ReadFull(file, buf)
		if n > 0 {
			if _, err := upload.Write(buf[:n]); err != nil {
				return total, file.elapsed, errors.Join(err, upload.Abort())
			}
			total += int64(n)
		}
		if readErr == io.EOF || readErr == io.ErrUnexpectedEOF {
			break
		}
		if readErr != nil {
			return total, file.elapsed, errors.Join(readErr, upload.Abort())
		}
	}
	return total, file.elapsed, upload.Commit()
}

// download: "mem" into a new buffer of the object's size, "readinto" through one reused buffer of
// cmd.BufSize bytes (data dropped), "file" to a file in 4 MiB chunks.
func (b *bench) download(cmd command) (map[string]any, error) {
	if cmd.Mode == "readinto" && len(b.readBuf) != cmd.BufSize {
		b.readBuf = make([]byte, cmd.BufSize)
	}
	start := time.Now()
	var n int64
	var calls int
	var fileIO time.Duration
	var err error
	switch cmd.Mode {
	case "mem":
		n, calls, err = downloadBytes(b.ctx, b.project, cmd.Bucket, cmd.Key, cmd.Size)
	case "readinto":
		n, calls, err = downloadInto(b.ctx, b.project, cmd.Bucket, cmd.Key, b.readBuf)
	case "file":
		n, calls, fileIO, err = downloadFile(b.ctx, b.project, cmd.Bucket, cmd.Key, cmd.File)
	default:
		err = fmt.Errorf("unknown download mode %q", cmd.Mode)
	}
	if err == nil && cmd.Size > 0 && n != cmd.Size {
		err = fmt.Errorf("downloaded %d bytes, want %d", n, cmd.Size)
	}
	return map[string]any{"seconds": time.Since(start).Seconds(), "bytes": n, "read_calls": calls,
		"file_io_seconds": fileIO.Seconds()}, err
}

// countingReader counts the Read calls that reach the download (how finely the data arrives).
type countingReader struct {
	r     io.Reader
	calls int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.calls++
	return c.r.Read(p)
}

func downloadBytes(ctx context.Context, project *uplink.Project, bucket, key string, size int64) (int64, int, error) {
	download, err := project.DownloadObject(ctx, bucket, key, nil)
	if err != nil {
		return 0, 0, err
	}
	buf := make([]byte, size)
	reader := &countingReader{r: download}
	n, err := io.ReadFull(reader, buf)
	return int64(n), reader.calls, errors.Join(err, download.Close())
}

func downloadInto(ctx context.Context, project *uplink.Project, bucket, key string, buf []byte) (int64, int, error) {
	download, err := project.DownloadObject(ctx, bucket, key, nil)
	if err != nil {
		return 0, 0, err
	}
	var total int64
	calls := 0
	for {
		n, readErr := download.Read(buf)
		calls++
		total += int64(n)
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return total, calls, errors.Join(readErr, download.Close())
		}
	}
	return total, calls, download.Close()
}

// downloadFile writes the object to a file in 4 MiB chunks; it also returns the download's Read calls
// and the time spent writing the file.
func downloadFile(ctx context.Context, project *uplink.Project, bucket, key, path string) (int64, int, time.Duration, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, 0, err
	}
	file := &timedFile{f: f}
	download, err := project.DownloadObject(ctx, bucket, key, nil)
	if err != nil {
		return 0, 0, 0, errors.Join(err, f.Close())
	}
	reader := &countingReader{r: download}
	buf := make([]byte, fileChunk)
	var total int64
	for {
		n, readErr := io.ReadFull(reader, buf)
		if n > 0 {
			if _, err := file.Write(buf[:n]); err != nil {
				return total, reader.calls, file.elapsed, errors.Join(err, download.Close(), f.Close())
			}
			total += int64(n)
		}
		if readErr == io.EOF || readErr == io.ErrUnexpectedEOF {
			break
		}
		if readErr != nil {
			return total, reader.calls, file.elapsed, errors.Join(readErr, download.Close(), f.Close())
		}
	}
	return total, reader.calls, file.elapsed, errors.Join(download.Close(), f.Close())
}

// uploadParallel: cmd.Threads goroutines each upload the file's contents (from memory) to their own key
// at once; seconds is the wall time until the last commit.
func (b *bench) uploadParallel(cmd command) (map[string]any, error) {
	data, err := b.contents(cmd.File)
	if err != nil {
		return nil, err
	}
	errs := make([]error, cmd.Threads)
	var ready, done sync.WaitGroup
	startGate := make(chan struct{})
	ready.Add(cmd.Threads)
	done.Add(cmd.Threads)
	for i := 0; i < cmd.Threads; i++ {
		go func(i int) {
			defer done.Done()
			ready.Done()
			<-startGate
			_, errs[i] = uploadBytes(b.ctx, b.project, cmd.Bucket, cmd.Prefix+strconv.Itoa(i), data)
		}(i)
	}
	ready.Wait()
	start := time.Now()
	close(startGate)
	done.Wait()
	return map[string]any{"seconds": time.Since(start).Seconds(), "bytes": int64(len(data)) * int64(cmd.Threads)},
		errors.Join(errs...)
}

// manySmall uploads cmd.N objects of cmd.Size bytes, stats them and downloads them, cmd.Concurrency
// goroutines at a time; each phase is timed and the downloads are checked against what was uploaded.
func (b *bench) manySmall(cmd command) (map[string]any, error) {
	payloads := make([][]byte, cmd.N)
	keys := make([]string, cmd.N)
	for i := range payloads {
		digest := sha256.Sum256([]byte(strconv.Itoa(i)))
		payloads[i] = bytes.Repeat(digest[:], int(cmd.Size)/len(digest))
		keys[i] = cmd.Prefix + strconv.Itoa(i)
	}
	sizes := make([]int64, cmd.N)
	read := make([][]byte, cmd.N)
	phases := []struct {
		name string
		do   func(i int) error
	}{
		{"upload_seconds", func(i int) error {
			_, err := uploadBytes(b.ctx, b.project, cmd.Bucket, keys[i], payloads[i])
			return err
		}},
		{"stat_seconds", func(i int) error {
			object, err := b.project.StatObject(b.ctx, cmd.Bucket, keys[i])
			if err == nil {
				sizes[i] = object.System.ContentLength
			}
			return err
		}},
		{"download_seconds", func(i int) error {
			download, err := b.project.DownloadObject(b.ctx, cmd.Bucket, keys[i], nil)
			if err != nil {
				return err
			}
			read[i], err = io.ReadAll(download)
			return errors.Join(err, download.Close())
		}},
	}
	result := map[string]any{}
	total := 0.0
	for _, phase := range phases {
		start := time.Now()
		if err := forEach(cmd.N, max(cmd.Concurrency, 1), phase.do); err != nil {
			return nil, fmt.Errorf("%s: %w", phase.name, err)
		}
		seconds := time.Since(start).Seconds()
		result[phase.name] = seconds
		total += seconds
	}
	result["seconds"] = total
	for i := range payloads {
		if sizes[i] != int64(len(payloads[i])) || sha256.Sum256(read[i]) != sha256.Sum256(payloads[i]) {
			return nil, fmt.Errorf("object %s: stat'ed or downloaded differs from what was uploaded", keys[i])
		}
	}
	return result, nil
}

// forEach calls do(0..n-1) from workers goroutines; the first error stops handing out new work.
func forEach(n, workers int, do func(i int) error) error {
	next := make(chan int)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range errs {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range next {
				if errs[w] == nil {
					errs[w] = do(i)
				}
			}
		}(w)
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// fill uploads cmd.N objects of cmd.Size bytes named prefix+index (set-up for the listing, untimed).
func (b *bench) fill(cmd command) error {
	data := make([]byte, cmd.Size)
	return forEach(cmd.N, 8, func(i int) error {
		_, err := uploadBytes(b.ctx, b.project, cmd.Bucket, fmt.Sprintf("%s%05d", cmd.Prefix, i), data)
		return err
	})
}

// small runs cmd.N calls of one small operation and returns each call's seconds.
func (b *bench) small(cmd command) (map[string]any, error) {
	samples := make([]float64, 0, cmd.N)
	payload := make([]byte, cmd.Size)
	extra := map[string]any{}
	for i := 0; i < cmd.N; i++ {
		var err error
		start := time.Now()
		switch cmd.Op {
		case "stat":
			_, err = b.project.StatObject(b.ctx, cmd.Bucket, cmd.Key)
		case "list":
			count := 0
			objects := b.project.ListObjects(b.ctx, cmd.Bucket, &uplink.ListObjectsOptions{Prefix: cmd.Prefix, Recursive: true})
			for objects.Next() {
				if objects.Item().Key != "" {
					count++
				}
			}
			err = objects.Err()
			extra["items"] = count
		case "put_small":
			_, err = uploadBytes(b.ctx, b.project, cmd.Bucket, cmd.Prefix+strconv.Itoa(i), payload)
		case "bucket_cycle":
			name := strings.ToLower(cmd.Prefix) + strconv.Itoa(i)
			if _, err = b.project.CreateBucket(b.ctx, name); err == nil {
				_, err = b.project.DeleteBucket(b.ctx, name)
			}
		}
		elapsed := time.Since(start).Seconds()
		if err != nil {
			return map[string]any{"samples": samples}, err
		}
		samples = append(samples, elapsed)
	}
	extra["samples"] = samples
	return extra, nil
}

// rss transfers one object from or to a file in a fresh process and reports the peak resident set.
func rss(args []string) error {
	flags := flag.NewFlagSet("rss", flag.ContinueOnError)
	direction := flags.String("direction", "up", "up or down")
	bucket := flags.String("bucket", "", "bucket")
	key := flags.String("key", "", "object key")
	path := flags.String("file", "", "file to upload from or download to")
	ctx := context.Background()
	project, err := openProject(ctx, flags, args)
	if err != nil {
		return err
	}
	defer func() { _ = project.Close() }()
	baseline := statusKiB("VmRSS")
	start := time.Now()
	var n int64
	if *direction == "up" {
		n, _, err = uploadFile(ctx, project, *bucket, *key, *path)
	} else {
		n, _, _, err = downloadFile(ctx, project, *bucket, *key, *path)
	}
	if err != nil {
		return err
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"seconds": time.Since(start).Seconds(), "bytes": n,
		"baseline_rss_kib": baseline, "vmhwm_kib": statusKiB("VmHWM"), "ru_maxrss_kib": ru.Maxrss,
	})
}

// statusKiB reads one "Name: N kB" line of /proc/self/status.
func statusKiB(name string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				v, _ := strconv.ParseInt(fields[0], 10, 64)
				return v
			}
		}
	}
	return -1
}
