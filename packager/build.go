// Package packager turns a loaded course into LMS packages: one zip per
// format, written atomically into an output folder.
package packager

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coursekit/coursekit/packager/archive"
	"github.com/coursekit/coursekit/packager/cmi5"
	"github.com/coursekit/coursekit/packager/runtime"
	"github.com/coursekit/coursekit/packager/scorm"
	"github.com/coursekit/coursekit/packager/tincan"
	"github.com/coursekit/coursekit/pkg/course"
)

// Format is a package format.
type Format string

// The formats coursekit builds.
const (
	SCORM12   Format = "scorm12"
	SCORM2004 Format = "scorm2004"
	CMI5      Format = "cmi5"
	XAPI      Format = "xapi" // a Tin Can package (tincan.xml)
)

// Formats are every format, in the order builds list them.
var Formats = []Format{SCORM12, SCORM2004, CMI5, XAPI}

// DefaultFormats are what a build makes when no format is asked for: the
// SCORM packages every LMS imports.
var DefaultFormats = []Format{SCORM12, SCORM2004}

// IsSCORM reports whether f is a SCORM format.
func (f Format) IsSCORM() bool { return f == SCORM12 || f == SCORM2004 }

// ParseFormats reads a comma-separated list of formats.
func ParseFormats(s string) ([]Format, error) {
	var out []Format
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(Formats, Format(f)) {
			names := make([]string, len(Formats))
			for i, f := range Formats {
				names[i] = string(f)
			}
			return nil, fmt.Errorf("unknown format %q; use any of %s", f, strings.Join(names, ","))
		}
		if !slices.Contains(out, Format(f)) {
			out = append(out, Format(f))
		}
	}
	return out, nil
}

// Options choose what Build writes.
type Options struct {
	Formats []Format
	// OutDir receives the zips; it is created if needed.
	OutDir string
	// SCOPerLesson makes every lesson its own SCO (LMS navigation) instead
	// of one SCO for the course with the player's navigation.
	SCOPerLesson bool
	// AUPerLesson does the same for cmi5: an AU per lesson, in a block per
	// section, instead of one AU for the course.
	AUPerLesson bool
	// LRS makes SCORM packages also send xAPI statements there; nil for
	// none. cmi5 and xAPI packages get their LRS from the launch.
	LRS *runtime.LRS
}

// Result describes one written package.
type Result struct {
	Format  Format
	Path    string
	Bytes   int64
	Entries int
	Elapsed time.Duration
}

// FileName is the package's name: <course slug>-<format>-<version>.zip.
func FileName(c *course.Course, f Format) string {
	return fmt.Sprintf("%s-%s-%s.zip", course.Slug(c.ID), f, c.Version)
}

// Build writes one zip per format into opts.OutDir. The zips are written in
// a temporary folder inside OutDir and moved into place only when every
// format has succeeded, so a failed or interrupted build leaves no package.
func Build(ctx context.Context, c *course.Course, opts Options) ([]Result, error) {
	if len(opts.Formats) == 0 {
		return nil, errors.New("build: no formats given")
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	work, err := os.MkdirTemp(opts.OutDir, ".coursekit-build-*")
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	defer os.RemoveAll(work)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]Result, len(opts.Formats))
	errs := make([]error, len(opts.Formats))
	var wg sync.WaitGroup
	for i, f := range opts.Formats {
		wg.Go(func() {
			start := time.Now()
			name := FileName(c, f)
			n, err := writePackage(ctx, c, f, opts, filepath.Join(work, name))
			if err != nil {
				errs[i] = fmt.Errorf("build %s: %w", name, err)
				cancel()
				return
			}
			results[i] = Result{Format: f, Path: filepath.Join(opts.OutDir, name), Entries: n, Elapsed: time.Since(start)}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, r := range results {
		if err := os.Rename(filepath.Join(work, filepath.Base(r.Path)), r.Path); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		if info, err := os.Stat(r.Path); err == nil {
			results[i].Bytes = info.Size()
		}
	}
	return results, nil
}

// manifests are the files at a package's root that describe it, one per
// format; a course file may not take their names.
var manifests = map[Format]string{SCORM12: "imsmanifest.xml", SCORM2004: "imsmanifest.xml", CMI5: cmi5.FileName, XAPI: tincan.FileName}

// writePackage writes one format's zip and returns its number of entries.
func writePackage(ctx context.Context, c *course.Course, f Format, opts Options, dst string) (int, error) {
	ro := runtime.Options{Standard: runtime.Standard(f), SCOPerLesson: opts.SCOPerLesson}
	switch {
	case f == CMI5:
		ro.SCOPerLesson = opts.AUPerLesson
	case f == XAPI:
		ro.SCOPerLesson = false
	case f.IsSCORM():
		ro.LRS = opts.LRS
	default:
		return 0, fmt.Errorf("unknown format %q", f)
	}
	assets, err := runtime.Assets(c, ro)
	if err != nil {
		return 0, err
	}
	entries, err := contentEntries(c, assets)
	if err != nil {
		return 0, err
	}
	var manifest []byte
	switch f {
	case CMI5:
		manifest, err = cmi5.Structure(c, cmi5.Options{AUPerLesson: opts.AUPerLesson, Launch: runtime.LaunchPage})
	case XAPI:
		manifest, err = tincan.Manifest(c, runtime.LaunchPage)
	default:
		files := make([]string, len(entries))
		for i, e := range entries {
			files[i] = e.Name
		}
		slices.Sort(files)
		manifest, err = scorm.Manifest(c, scorm.Version(f), scorm.Options{
			SCOPerLesson: opts.SCOPerLesson, Launch: runtime.LaunchPage, Files: files,
		})
	}
	if err != nil {
		return 0, err
	}
	entries = append(entries, archive.Entry{Name: manifests[f], Data: manifest})
	return len(entries), archive.Write(ctx, dst, entries)
}

// contentEntries are the player's files and the course's own files, which
// are streamed from the course folder when the zip is written.
func contentEntries(c *course.Course, assets []runtime.Asset) ([]archive.Entry, error) {
	entries := make([]archive.Entry, 0, len(assets)+len(c.Files))
	player := map[string]bool{}
	for _, a := range assets {
		entries = append(entries, archive.Entry{Name: a.Name, Data: a.Data})
		player[a.Name] = true
	}
	for _, f := range c.Files {
		if player[f] || f == manifests[SCORM12] || f == manifests[CMI5] || f == manifests[XAPI] || strings.HasPrefix(f, "coursekit/") {
			return nil, fmt.Errorf("course file %s collides with a file the package needs; move it to another folder", f)
		}
		entries = append(entries, archive.Entry{Name: f, Source: filepath.Join(c.Dir, filepath.FromSlash(f))})
	}
	return entries, nil
}
