package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteIsDeterministicAndSorted(t *testing.T) {
	dir := t.TempDir()
	media := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(media, bytes.Repeat([]byte{0xff, 0xd8}, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	noise := filepath.Join(dir, "noise.pdf")
	random := make([]byte, 200<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(noise, random, 0o600); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "text.pdf")
	if err := os.WriteFile(text, bytes.Repeat([]byte("%PDF text stream "), 10000), 0o600); err != nil {
		t.Fatal(err)
	}
	entries := []Entry{
		{Name: "z.html", Data: []byte(strings.Repeat("<p>hello</p>", 100))},
		{Name: "media/photo.jpg", Source: media},
		{Name: "a/b.txt", Data: []byte("b")},
		{Name: "media/noise.pdf", Source: noise},
		{Name: "media/text.pdf", Source: text},
	}
	first, second := filepath.Join(dir, "1.zip"), filepath.Join(dir, "2.zip")
	if err := Write(context.Background(), first, entries); err != nil {
		t.Fatal(err)
	}
	// The same entries in another order give the same bytes.
	reversed := []Entry{entries[4], entries[2], entries[0], entries[3], entries[1]}
	if err := Write(context.Background(), second, reversed); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same entries differ")
	}

	zr, err := zip.OpenReader(first)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(ModTime) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, ModTime)
		}
		if f.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v, want 0644", f.Name, f.Mode())
		}
	}
	if got := strings.Join(names, " "); got != "a/b.txt media/noise.pdf media/photo.jpg media/text.pdf z.html" {
		t.Errorf("entries = %s, want them sorted", got)
	}
	methods := map[string]uint16{}
	for _, f := range zr.File {
		methods[f.Name] = f.Method
	}
	want := map[string]uint16{"media/photo.jpg": zip.Store, "media/noise.pdf": zip.Store, "media/text.pdf": zip.Deflate, "z.html": zip.Deflate, "a/b.txt": zip.Deflate}
	for name, m := range want {
		if methods[name] != m {
			t.Errorf("%s method = %d, want %d (0 store, 8 deflate)", name, methods[name], m)
		}
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s back: %v", f.Name, err)
		}
		if f.Name == "media/noise.pdf" && !bytes.Equal(got, random) {
			t.Error("media/noise.pdf does not read back as written")
		}
	}
}

func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "out.zip")
	if err := os.WriteFile(dst, []byte("previous build"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(context.Background(), dst, []Entry{
		{Name: "index.html", Data: []byte("x")},
		{Name: "media/missing.png", Source: filepath.Join(dir, "missing.png")},
	})
	if err == nil || !strings.Contains(err.Error(), "missing.png") {
		t.Fatalf("Write with a missing source = %v, want an error naming it", err)
	}
	if data, _ := os.ReadFile(dst); string(data) != "previous build" {
		t.Errorf("dst was changed to %q; a failed build must leave it alone", data)
	}
	assertOnlyFiles(t, dir, "out.zip")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, filepath.Join(dir, "cancelled.zip"), []Entry{{Name: "a", Data: nil}}); err == nil {
		t.Error("Write with a cancelled context succeeded")
	}
	assertOnlyFiles(t, dir, "out.zip")
}

func TestWriteRejectsBadNames(t *testing.T) {
	for _, name := range []string{"", "../x", "/abs", "a/../../x", `a\b`, "a//b", "./a"} {
		err := Write(context.Background(), filepath.Join(t.TempDir(), "x.zip"), []Entry{{Name: name}})
		if err == nil {
			t.Errorf("Write(entry %q) succeeded, want an error", name)
		}
	}
	err := Write(context.Background(), filepath.Join(t.TempDir(), "x.zip"), []Entry{{Name: "a"}, {Name: "a"}})
	if err == nil {
		t.Error("Write with a duplicate entry succeeded")
	}
}

func assertOnlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files in %s = %v, want %v", dir, got, want)
	}
}
