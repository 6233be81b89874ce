// Package archive writes package zips that are deterministic and atomic:
// entries in sorted order with a fixed modification time, so the same
// sources give the same bytes on every machine, and the zip appears under its
// final name only once it is complete, so a failed build leaves nothing.
package archive

import (
	"archive/zip"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ModTime is the modification time of every entry. A fixed time keeps builds
// reproducible; 2000-01-01 avoids tools that mistrust the DOS epoch.
var ModTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Entry is one file of a package: either Data, or the file at Source, which
// is streamed into the zip and never held in memory whole.
type Entry struct {
	// Name is the slash-separated path inside the zip.
	Name   string
	Data   []byte
	Source string
}

// Write writes entries to a zip at dst. It writes to a temporary file beside
// dst and renames it into place on success; on any error, or when ctx is
// cancelled, the temporary file is removed and dst is left as it was.
func Write(ctx context.Context, dst string, entries []Entry) (err error) {
	if err := checkNames(entries); err != nil {
		return err
	}
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })

	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := zip.NewWriter(tmp)
	sn := newSniffer()
	for _, e := range sorted {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
		if err := addEntry(zw, sn, e); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}

func checkNames(entries []Entry) error {
	seen := map[string]bool{}
	for _, e := range entries {
		clean := path.Clean(e.Name)
		if e.Name == "" || clean != e.Name || path.IsAbs(e.Name) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(e.Name, `\`) {
			return fmt.Errorf("package entry %q is not a clean relative path", e.Name)
		}
		if seen[e.Name] {
			return fmt.Errorf("package entry %q is added twice", e.Name)
		}
		seen[e.Name] = true
	}
	return nil
}

func addEntry(zw *zip.Writer, sn *sniffer, e Entry) error {
	if e.Source == "" {
		w, err := zw.CreateHeader(header(e.Name, sn.method(e.Name, e.Data)))
		if err != nil {
			return fmt.Errorf("add %s: %w", e.Name, err)
		}
		_, err = w.Write(e.Data)
		return err
	}
	f, err := os.Open(e.Source)
	if err != nil {
		return fmt.Errorf("add %s: %w", e.Name, err)
	}
	defer f.Close()
	head := sn.head[:]
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("add %s from %s: %w", e.Name, e.Source, err)
	}
	w, err := zw.CreateHeader(header(e.Name, sn.method(e.Name, head[:n])))
	if err != nil {
		return fmt.Errorf("add %s: %w", e.Name, err)
	}
	if _, err := w.Write(head[:n]); err != nil {
		return fmt.Errorf("add %s: %w", e.Name, err)
	}
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("add %s from %s: %w", e.Name, e.Source, err)
	}
	return nil
}

func header(name string, method uint16) *zip.FileHeader {
	h := &zip.FileHeader{Name: name, Method: method, Modified: ModTime}
	h.SetMode(0o644)
	return h
}

// compressed lists formats that are already compressed: deflating them again
// costs time and saves nothing, so they are stored.
var compressed = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true,
	".mp3": true, ".m4a": true, ".ogg": true, ".oga": true, ".ogv": true,
	".mp4": true, ".webm": true, ".zip": true,
	".docx": true, ".xlsx": true, ".pptx": true, ".odt": true, ".ods": true, ".odp": true,
}

// sniffSize is how much of a file the sniffer compresses to judge the rest.
const sniffSize = 64 << 10

// sniffer chooses each entry's compression method. It is reused across the
// entries of one zip: a flate writer costs about a megabyte to make.
type sniffer struct {
	head  [sniffSize]byte
	count countWriter
	fw    *flate.Writer
}

func newSniffer() *sniffer {
	sn := &sniffer{}
	sn.fw, _ = flate.NewWriter(&sn.count, flate.BestSpeed)
	return sn
}

// method stores formats known to be compressed, and files whose first
// sniffSize bytes deflate by less than a tenth (a PDF of scanned images, a
// WAV of noise): deflating those costs far more time than it saves bytes.
func (sn *sniffer) method(name string, head []byte) uint16 {
	if compressed[strings.ToLower(path.Ext(name))] {
		return zip.Store
	}
	if len(head) < 4<<10 {
		return zip.Deflate
	}
	head = head[:min(len(head), sniffSize)]
	sn.count = 0
	sn.fw.Reset(&sn.count)
	_, _ = sn.fw.Write(head)
	_ = sn.fw.Close()
	if int(sn.count)*10 > len(head)*9 {
		return zip.Store
	}
	return zip.Deflate
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
