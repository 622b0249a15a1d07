package main

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestHandleTableAddGetRemove(t *testing.T) {
	table := newHandleTable()
	a, b := table.add("a"), table.add("b")
	if a == 0 || b == 0 || a == b {
		t.Fatalf("handles must be distinct and non-zero: %d %d", a, b)
	}
	if table.get(a) != "a" || table.get(b) != "b" || table.len() != 2 {
		t.Fatal("lookup failed")
	}
	if table.remove(a) != "a" || table.get(a) != nil || table.remove(a) != nil {
		t.Fatal("remove must release exactly once")
	}
	if c := table.add("c"); c == a {
		t.Fatal("handles must not be reused: a stale handle would reach a new value")
	}
}

func TestLookupChecksTheKind(t *testing.T) {
	table := newHandleTable()
	h := table.add(&download{})
	if _, err := lookup[*download](table, h, "UplinkDownload"); err != nil {
		t.Fatal(err)
	}
	_, err := lookup[*upload](table, h, "UplinkUpload")
	if !errors.Is(err, errInvalidHandle) || errorCode(err) != codeInvalidHandle {
		t.Fatalf("wrong kind: got %v", err)
	}
	if _, err := lookup[*download](table, 12345, "UplinkDownload"); !errors.Is(err, errInvalidHandle) {
		t.Fatalf("unknown handle: got %v", err)
	}
}

func TestHandleTableIsSafeForConcurrentUse(t *testing.T) {
	table := newHandleTable()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				h := table.add(j)
				if table.get(h) != j {
					t.Error("wrong value")
				}
				table.remove(h)
			}
		}()
	}
	wg.Wait()
	if table.len() != 0 {
		t.Fatalf("%d entries left", table.len())
	}
}

type released struct{ count int }

func (r *released) release() { r.count++ }

func TestFreeHandleReleasesItsEntryOnce(t *testing.T) {
	if !uplink_internal_UniverseIsEmpty() {
		t.Fatal("universe not empty at start")
	}
	value := &released{}
	p := newHandle(value)
	if uplink_internal_UniverseIsEmpty() || handleOf(p) == 0 {
		t.Fatal("handle not registered")
	}
	freeHandle(p)
	freeHandle(nil)
	if !uplink_internal_UniverseIsEmpty() || value.count != 1 {
		t.Fatalf("empty=%v released=%d", uplink_internal_UniverseIsEmpty(), value.count)
	}
}

func TestValueOfNamesTheHandleKind(t *testing.T) {
	result := uplink_upload_commit(nil)
	defer uplink_free_error(result)
	if result == nil || result.code != codeInternal || !strings.Contains(goMessage(result), "NULL argument: UplinkUpload") {
		t.Fatalf("NULL upload: got %v", result)
	}
	// A handle of another kind is refused, not reinterpreted.
	p := newHandle(&download{})
	defer freeHandle(p)
	wrong := uplink_upload_commit((*_Ctype_UplinkUpload)(p))
	defer uplink_free_error(wrong)
	if wrong == nil || wrong.code != codeInvalidHandle || !strings.Contains(goMessage(wrong), "invalid handle: UplinkUpload") {
		t.Fatalf("wrong kind: got %v", wrong)
	}
}

func TestLockedFinishesOnceUnlessEnded(t *testing.T) {
	var finished int
	finish := func(*released) error { finished++; return nil }
	ctx, cancel := context.WithCancel(context.Background())
	freed := &locked[*released]{scope: scope{ctx: ctx, cancel: cancel}, finish: finish}
	freeHandle(newHandle(freed))
	if finished != 1 || ctx.Err() == nil {
		t.Fatalf("freed before ending: finished %d times, context err %v", finished, ctx.Err())
	}
	ended := &locked[*released]{finish: finish}
	if err := ended.end(); err != nil {
		t.Fatal(err)
	}
	freeHandle(newHandle(ended))
	if finished != 2 {
		t.Fatalf("ended, then freed: finished %d times in all, want 2", finished)
	}
	freeHandle(newHandle(&locked[*released]{})) // no finish, no scope: nothing to do
	if !uplink_internal_UniverseIsEmpty() {
		t.Fatal("handles left")
	}
}
