package inspect

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// archive is what the safe reading pass learnt about a zip.
type archive struct {
	// files holds the regular files with safe names; lower maps their
	// lower-cased names back, to hint at case mistakes in hrefs.
	files map[string]bool
	lower map[string]string
	// manifest is the root imsmanifest.xml, nil when there is none; cmi5
	// and tincan are the root cmi5.xml and tincan.xml.
	manifest, cmi5, tincan []byte
}

// readArchive opens the zip, checks every entry's name and kind and reads
// every entry within the limits. It returns nil when the zip is unusable
// (not a zip, or over a limit); the reasons are in rep.
func readArchive(ctx context.Context, zipPath string, opts Options, rep *Report) (*archive, error) {
	f, err := os.Open(zipPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a zip file", zipPath)
	}
	if entries, dirSize, ok := directoryEnd(f, info.Size()); ok {
		switch {
		case entries > uint64(opts.MaxEntries):
			rep.archivef("the zip declares %d entries, more than the limit of %d; refusing a possible zip bomb", entries, opts.MaxEntries)
			return nil, nil
		case dirSize > uint64(opts.MaxEntries)*maxRecordSize:
			rep.archivef("the central directory takes %s, more than %d entries need; refusing a possible zip bomb",
				formatSize(int64(min(dirSize, 1<<62))), opts.MaxEntries)
			return nil, nil
		}
	}
	zr, err := zip.NewReader(f, info.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		rep.archivef("not a zip archive: %v", err)
		return nil, nil
	}
	rep.Entries = len(zr.File)
	if len(zr.File) > opts.MaxEntries {
		rep.archivef("%d entries, more than the limit of %d; refusing a possible zip bomb", len(zr.File), opts.MaxEntries)
		return nil, nil
	}

	ar := &archive{files: map[string]bool{}, lower: map[string]string{}}
	safe := checkEntries(zr.File, rep)
	if !checkOverlaps(safe, rep) {
		return nil, nil
	}
	rd := entryReader{opts: opts, rep: rep}
	for _, zf := range safe {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if zf.FileInfo().IsDir() {
			continue
		}
		isManifest := zf.Name == ManifestName || zf.Name == cmi5Name || zf.Name == tincanName
		data, ok := rd.read(zf, isManifest)
		if rd.over {
			return nil, nil
		}
		if !ok {
			continue
		}
		ar.files[zf.Name] = true
		ar.lower[strings.ToLower(zf.Name)] = zf.Name
		switch zf.Name {
		case ManifestName:
			ar.manifest = data
		case cmi5Name:
			ar.cmi5 = data
		case tincanName:
			ar.tincan = data
		}
	}
	rep.Files = len(ar.files)
	if ar.manifest == nil && ar.cmi5 == nil && ar.tincan == nil {
		reportMissingManifest(zr.File, rep)
	}
	return ar, nil
}

// checkEntries reports entries with unsafe names or kinds and returns the
// others, the only ones read.
func checkEntries(files []*zip.File, rep *Report) []*zip.File {
	var safe []*zip.File
	seen := map[string]string{} // cleaned, lower-cased name → first raw name
	for _, zf := range files {
		name := zf.Name
		if msg := nameProblem(name); msg != "" {
			rep.archivef("entry %q: %s", name, msg)
			continue
		}
		key := strings.ToLower(path.Clean(strings.TrimSuffix(name, "/")))
		if first, dup := seen[key]; dup {
			switch {
			case first == name:
				rep.archivef("entry %q appears more than once", name)
			case strings.EqualFold(first, name):
				rep.archivef("entries %q and %q differ only in case; they collide on Windows and macOS", first, name)
			default:
				rep.archivef("entries %q and %q name the same file", first, name)
			}
			continue
		}
		seen[key] = name
		switch {
		case zf.Mode()&fs.ModeSymlink != 0:
			rep.archivef("entry %q is a symbolic link; a package must hold regular files only", name)
		case zf.Mode()&(fs.ModeType&^fs.ModeDir) != 0:
			rep.archivef("entry %q is a special file (%v); a package must hold regular files only", name, zf.Mode().Type())
		case zf.Flags&0x1 != 0:
			rep.archivef("entry %q is encrypted; an LMS cannot read it", name)
		case zf.Method != zip.Store && zf.Method != zip.Deflate:
			rep.archivef("entry %q uses compression method %s, which LMSs cannot read; use deflate or store", name, methodName(zf.Method))
		default:
			safe = append(safe, zf)
		}
	}
	return safe
}

// nameProblem says what is unsafe about an entry name, or returns "".
func nameProblem(name string) string {
	switch {
	case name == "":
		return "empty name"
	case strings.ContainsRune(name, 0):
		return "NUL byte in the name"
	case strings.Contains(name, `\`):
		return `backslash in the name; Windows reads it as a folder separator, so names must use "/"`
	case strings.HasPrefix(name, "/"):
		return "absolute path; names must be relative to the package root"
	case len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z'):
		return "absolute path with a drive letter; names must be relative to the package root"
	case slices.Contains(strings.Split(name, "/"), ".."):
		return `".." in the path would write outside the package`
	}
	return ""
}

func methodName(m uint16) string {
	names := map[uint16]string{9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "zstd", 95: "xz", 98: "PPMd", 99: "AES"}
	if n, ok := names[m]; ok {
		return fmt.Sprintf("%d (%s)", m, n)
	}
	return fmt.Sprint(m)
}

// checkOverlaps reports entries whose compressed data overlap, the trick
// behind zip bombs that reuse one highly compressed block for every entry.
func checkOverlaps(files []*zip.File, rep *Report) bool {
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(files))
	for _, zf := range files {
		off, err := zf.DataOffset()
		if err != nil {
			rep.archivef("entry %q is corrupt: %v", zf.Name, err)
			return false
		}
		spans = append(spans, span{off, off + int64(zf.CompressedSize64), zf.Name})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	ok := true
	for i := 1; i < len(spans); i++ {
		if prev := spans[i-1]; spans[i].start < prev.end {
			rep.archivef("entries %q and %q overlap in the archive; refusing a possible zip bomb", prev.name, spans[i].name)
			ok = false
		}
	}
	return ok
}

// entryReader decompresses entries, counting the bytes it actually gets.
type entryReader struct {
	opts Options
	rep  *Report
	size int64 // decompressed so far, over all entries
	over bool  // the total size limit was reached: stop
}

// read decompresses one entry within the limits, keeping the data when asked.
// It reports false, with the problem, when the entry is corrupt or too big.
func (r *entryReader) read(zf *zip.File, keep bool) ([]byte, bool) {
	rc, err := zf.Open()
	if err != nil {
		r.rep.archivef("entry %q is corrupt: %v", zf.Name, err)
		return nil, false
	}
	defer rc.Close()

	budget := r.opts.MaxSize - r.size
	ratioCap := max(ratioFloor, int64(r.opts.MaxRatio)*max(int64(zf.CompressedSize64), 1))
	limit := min(budget, ratioCap)
	if keep {
		limit = min(limit, maxManifestSize)
	}
	var buf bytes.Buffer
	w := io.Discard
	if keep {
		w = &buf
	}
	n, err := io.Copy(w, io.LimitReader(rc, limit+1))
	r.size += n
	r.rep.Size = r.size
	switch {
	case errors.Is(err, zip.ErrFormat):
		r.rep.archivef("entry %q holds more data than its header declares (%d bytes)", zf.Name, zf.UncompressedSize64)
		return nil, false
	case err != nil:
		r.rep.archivef("entry %q is corrupt: %v", zf.Name, err)
		return nil, false
	case n <= limit:
		return buf.Bytes(), true
	case keep && limit == maxManifestSize:
		r.rep.archivef("%s is larger than %s; refusing to parse it", zf.Name, formatSize(maxManifestSize))
	case limit == ratioCap:
		r.rep.archivef("entry %q expands more than %d times its compressed size; refusing a possible zip bomb",
			zf.Name, r.opts.MaxRatio)
	default:
		r.rep.archivef("the entries hold more than %s uncompressed in total, the limit; refusing a possible zip bomb",
			formatSize(r.opts.MaxSize))
		r.over = true
	}
	return nil, false
}

// reportMissingManifest explains why there is no usable root manifest.
func reportMissingManifest(files []*zip.File, rep *Report) {
	for _, zf := range files {
		if zf.Name == ManifestName {
			return // present but unreadable: already reported
		}
	}
	for _, zf := range files {
		if path.Base(zf.Name) == ManifestName {
			dir := path.Dir(zf.Name)
			rep.archivef("no %s at the root of the zip, but %q exists: zip the contents of %s/, not the folder itself",
				ManifestName, zf.Name, dir)
			return
		}
		if strings.EqualFold(zf.Name, ManifestName) {
			rep.archivef("the manifest is named %q; it must be %s, in lower case", zf.Name, ManifestName)
			return
		}
	}
	rep.archivef("no %s at the root of the zip; this is not a SCORM package (nor a cmi5 or xAPI one: no %s or %s)", ManifestName, cmi5Name, tincanName)
}

// formatSize writes a byte count the way people read limits.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/float64(div)), ".0") + " " + string("KMGTPE"[exp]) + "iB"
}
