package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallFSEnv names the tmpfs the test binary runs on when it re-executes
// itself inside a private mount namespace.
const smallFSEnv = "SABC_TEST_SMALL_FS"

// A real full filesystem, not an injected ENOSPC: the test binary runs
// itself again under `unshare -rm` (a private mount namespace, no effect on
// the machine) with a 1 MiB tmpfs on a temp folder, fills it to a few
// margins and uploads. Each upload is stored whole or refused with
// ErrStorage/ENOSPC and the "out of storage space" message, leaving no file
// behind; after space is freed the same upload succeeds. Where mount
// namespaces are not allowed the test says so and skips:
// TestProcess_DiskFullLeavesNoFiles injects ENOSPC everywhere.
func TestProcess_RealDiskFullLeavesNoFiles(t *testing.T) {
	if dir := os.Getenv(smallFSEnv); dir != "" {
		uploadsOnFullDisk(t, dir)
		return
	}
	dir := t.TempDir()
	mount := `mount -t tmpfs -o size=1m tmpfs "$1" && shift && exec "$@"`
	if out, err := exec.Command("unshare", "-rm", "sh", "-c", mount, "sh", dir, "true").CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs in a private mount namespace here (%v: %s)", err, bytes.TrimSpace(out))
	}
	cmd := exec.Command("unshare", "-rm", "sh", "-c", mount, "sh", dir,
		os.Args[0], "-test.run=^TestProcess_RealDiskFullLeavesNoFiles$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), smallFSEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	t.Logf("on a 1 MiB tmpfs:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestProcess_RealDiskFullLeavesNoFiles") {
		t.Fatalf("the upload test on a full tmpfs failed (%v)", err)
	}
}

// uploadsOnFullDisk runs inside the namespace, on the tmpfs at dir.
func uploadsOnFullDisk(t *testing.T, dir string) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil || fs.Blocks*uint64(fs.Bsize) > 4<<20 {
		t.Fatalf("%s is not the small tmpfs (statfs %v, %d blocks)", dir, err, fs.Blocks)
	}
	upload := encodeJPEG(t, quadrants(800, 600))
	refused := 0
	for _, margin := range []int64{0, 8 << 10, 32 << 10, 40 << 10, 96 << 10} {
		media := filepath.Join(dir, fmt.Sprintf("media-%d", margin))
		st, err := NewLocalStore(media)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPipeline(st, Options{})
		if err != nil {
			t.Fatal(err)
		}
		filler := fill(t, dir, margin)
		_, err = p.Process(context.Background(), bytes.NewReader(upload))
		switch {
		case err == nil:
			t.Logf("margin %d KiB: stored %d files", margin>>10, len(filesIn(t, media)))
		case errors.Is(err, ErrStorage) && errors.Is(err, syscall.ENOSPC):
			refused++
			if msg, _ := UserMessage(err); !strings.Contains(msg, "out of storage space") {
				t.Errorf("margin %d KiB: message %q does not say the server is out of space", margin>>10, msg)
			}
			if files := filesIn(t, media); len(files) != 0 {
				t.Errorf("margin %d KiB: refused upload left files behind: %v", margin>>10, files)
			}
			var me *Error
			errors.As(err, &me)
			t.Logf("margin %d KiB: refused (%v)", margin>>10, me.Err)
		default:
			t.Errorf("margin %d KiB: %v, want success or ErrStorage wrapping ENOSPC", margin>>10, err)
		}
		os.Remove(filler)
		if err != nil {
			if _, err := p.Process(context.Background(), bytes.NewReader(upload)); err != nil {
				t.Errorf("margin %d KiB: the same upload after freeing space: %v", margin>>10, err)
			}
		}
		st.Close()
		os.RemoveAll(media)
	}
	if refused == 0 {
		t.Error("no margin ran out of space: the test proved nothing")
	}
}

// fill writes a file in dir until only about margin bytes are free.
func fill(t *testing.T, dir string, margin int64) string {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		t.Fatal(err)
	}
	free := int64(fs.Bavail) * int64(fs.Bsize)
	if n := free - margin; n > 0 {
		if _, err := f.Write(make([]byte, n)); err != nil && !errors.Is(err, syscall.ENOSPC) {
			t.Fatal(err)
		}
	}
	return name
}
