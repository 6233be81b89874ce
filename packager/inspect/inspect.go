// Package inspect checks SCORM 1.2 and SCORM 2004 packages, ours or anyone's,
// without extracting them: it reads the zip defensively (no paths leaving the
// package, no links, no zip bombs), then checks imsmanifest.xml against the
// official schemas and against what LMSs, Moodle above all, rely on. It
// checks cmi5 packages (cmi5.xml, against CourseStructure.xsd) and xAPI
// packages (tincan.xml, whose structure it checks) the same way.
package inspect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Defaults for the zero values of Options' limits.
const (
	DefaultMaxEntries       = 10000
	DefaultMaxSize    int64 = 2 << 30 // 2 GiB uncompressed, in total
	DefaultMaxRatio         = 100
)

// ratioFloor is the size below which an entry's compression ratio is not
// checked: small text files of repeated characters legitimately compress
// far better than 100:1, and a bomb needs size to do harm.
const ratioFloor = 1 << 20

// maxManifestSize bounds the manifest held in memory. Real manifests are a
// few hundred kilobytes at most.
const maxManifestSize = 16 << 20

// ManifestName is the name of the manifest, which must be at the zip root.
const ManifestName = "imsmanifest.xml"

// Options configures Check. Zero limits take the defaults.
type Options struct {
	// MaxEntries is the most entries (files and folders) the zip may hold.
	MaxEntries int
	// MaxSize is the most bytes all entries may hold uncompressed, counted
	// while decompressing: declared sizes are not trusted.
	MaxSize int64
	// MaxRatio is the largest uncompressed/compressed size ratio of an entry
	// bigger than 1 MiB.
	MaxRatio int
	// SchemaDir holds scorm12/manifest.xsd and scorm2004_4th/manifest.xsd
	// (see FindSchemaDir). Empty skips schema validation with a warning.
	SchemaDir string
	// XMLLint is the xmllint command; empty means "xmllint" from PATH. When
	// it cannot be found, schema validation is skipped with a warning.
	XMLLint string
}

func (o Options) withDefaults() Options {
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.XMLLint == "" {
		o.XMLLint = "xmllint"
	}
	return o
}

// Problem is one thing wrong with a package.
type Problem struct {
	// File is the manifest's name (ManifestName, or cmi5.xml or tincan.xml)
	// for problems in it, or the zip path as given to Check for problems
	// with the archive itself.
	File string `json:"file"`
	// Line is 1-based; zero means the problem has no position.
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// String formats the problem as FILE:LINE: message, or FILE: message
// when it has no line.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// Schema validation outcomes, in Report.Schema.
const (
	SchemaValid   = "valid"
	SchemaInvalid = "invalid"
	SchemaSkipped = "skipped" // see Report.Warnings
	SchemaNotRun  = "not run" // earlier problems left nothing to validate
)

// Report is what Check found.
type Report struct {
	// Package is the zip path as given to Check.
	Package string
	// Format is FormatSCORM, FormatCMI5 or FormatXAPI, from the manifest
	// found at the root; empty when there is none.
	Format string
	// Version is the manifest's schemaversion when it is one LMSs know
	// ("1.2", "CAM 1.3", "2004 3rd Edition", "2004 4th Edition"), else
	// "1.2" or "2004" from the content-packaging namespace, else empty.
	Version  string
	Problems []Problem
	// Warnings are checks that could not run, such as schema validation
	// without xmllint. They do not make the package unsound.
	Warnings []string
	// Schema is one of SchemaValid, SchemaInvalid, SchemaSkipped, SchemaNotRun.
	Schema string
	// Entries counts the zip's entries; Files its regular files; Size the
	// bytes actually decompressed.
	Entries, Files int
	Size           int64
	// Resources and SCOs count the manifest's resources and those of them
	// that are SCOs; in a cmi5 package SCOs counts the AUs, in an xAPI
	// package the activities it launches.
	Resources, SCOs int
	// doc is the manifest being checked, for its problems' File.
	doc string
}

// The package formats Check recognises, by the manifest at the zip root.
const (
	FormatSCORM = "scorm"
	FormatCMI5  = "cmi5"
	FormatXAPI  = "xapi"
)

// OK reports whether the package has no problems.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) archivef(format string, args ...any) {
	r.Problems = append(r.Problems, Problem{File: r.Package, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) manifestf(line int, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{File: cmp.Or(r.doc, ManifestName), Line: line, Message: fmt.Sprintf(format, args...)})
}

// Check inspects the SCORM package at zipPath. Problems with the package are
// in the report; the error is only for failures to read it or to run the
// schema validator.
func Check(zipPath string, opts Options) (*Report, error) {
	return CheckContext(context.Background(), zipPath, opts)
}

// CheckContext is Check with a context that stops it between entries and
// stops the schema validator.
func CheckContext(ctx context.Context, zipPath string, opts Options) (*Report, error) {
	rep := &Report{Package: zipPath, Schema: SchemaNotRun}
	if err := check(ctx, zipPath, opts.withDefaults(), rep); err != nil {
		return nil, err
	}
	sortProblems(rep)
	return rep, nil
}

// check runs the stages in order, each only when the one before left
// something to check.
func check(ctx context.Context, zipPath string, opts Options, rep *Report) error {
	ar, err := readArchive(ctx, zipPath, opts, rep)
	if err != nil || ar == nil {
		return err
	}
	switch {
	case ar.manifest != nil:
		rep.Format = FormatSCORM
	case ar.cmi5 != nil:
		return checkCMI5(ctx, opts, ar, rep)
	case ar.tincan != nil:
		return checkTincan(ar, rep)
	default:
		return nil
	}
	root, ok := parseManifest(ar.manifest, rep)
	if !ok {
		return nil
	}
	fam := checkManifest(root, ar, rep)
	if fam == nil {
		return nil
	}
	return validateSchema(ctx, opts, fam.schema, ar.manifest, rep)
}

// FindSchemaDir looks for shared/xsd in start and each of its parents, the
// way the repository sits beside ../shared, and returns it.
func FindSchemaDir(start string) (string, bool) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", false
	}
	for {
		xsd := filepath.Join(dir, "shared", "xsd")
		if _, err := os.Stat(filepath.Join(xsd, schema12)); err == nil {
			return xsd, true
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
