package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/coursekit/coursekit/packager/inspect"
)

type validateCmd struct {
	stdout, stderr io.Writer
	// wd is where the search for shared/xsd starts; empty means the working
	// directory. Tests set it.
	wd string
}

const validateUsage = `
Usage: coursekit validate [flags] ZIP

Checks a SCORM 1.2 or SCORM 2004 package, ours or anyone's, without
extracting it, and reports every problem at once (cmi5 and xAPI packages
too: cmi5.xml against CourseStructure.xsd, tincan.xml's structure, and
their launch files):
  - the archive: no names leaving the package, absolute or with backslashes,
    no links, duplicate names, encrypted entries or zip bombs (see the limits);
  - imsmanifest.xml at the root, well-formed and valid against the official
    schemas (with xmllint, from Debian's libxml2-utils);
  - every href and <file> present, every file listed in a <file>, identifiers
    unique and references resolved, an item that launches a SCO;
  - what Moodle's importer needs: exactly the prefixes adlcp:, imsss:,
    adlnav:, adlseq:, unprefixed content-packaging elements, xml:base only on
    <resource>, a schemaversion it knows.

Problems print as imsmanifest.xml:LINE: message, or ZIP: message for the
archive itself. The schemas are found in shared/xsd in the working directory
or a folder above unless --schemas is given; without them, or without
xmllint, schema validation is skipped with a warning.

Exits 0 when the package is sound, 1 when it has problems, 2 for usage errors.
`

// validateReport is the --format json output.
type validateReport struct {
	Package  string            `json:"package"`
	OK       bool              `json:"ok"`
	Format   string            `json:"format"`
	Version  string            `json:"version"`
	Schema   string            `json:"schema"`
	Problems []inspect.Problem `json:"problems"`
	Warnings []string          `json:"warnings"`
	Summary  packageSummary    `json:"summary"`
}

type packageSummary struct {
	Entries   int   `json:"entries"`
	Files     int   `json:"files"`
	Bytes     int64 `json:"bytes"`
	Resources int   `json:"resources"`
	SCOs      int   `json:"scos"`
}

func (c *validateCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("validate", validateUsage, c.stdout)
	format := fs.String("format", "text", "output `format`: text or json")
	schemas := fs.String("schemas", "", "`folder` of the official schemas (scorm12/, scorm2004_4th/); default: shared/xsd found from the working directory up")
	maxEntries := fs.Int("max-entries", inspect.DefaultMaxEntries, "most entries the zip may hold")
	maxSize := byteSize(inspect.DefaultMaxSize)
	fs.Var(&maxSize, "max-size", "most `bytes` all entries may hold uncompressed, counted while reading (e.g. 500MiB, 2GiB)")
	maxRatio := fs.Int("max-ratio", inspect.DefaultMaxRatio, "largest uncompressed/compressed `ratio` of an entry over 1 MiB")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) != 1:
		return usagef("validate takes one zip file, got %d arguments", len(rest))
	case *format != "text" && *format != "json":
		return usagef("unknown --format %q; use text or json", *format)
	case *maxEntries <= 0 || *maxRatio <= 0 || maxSize <= 0:
		return usagef("--max-entries, --max-size and --max-ratio must be positive")
	}
	opts := inspect.Options{MaxEntries: *maxEntries, MaxSize: int64(maxSize), MaxRatio: *maxRatio, SchemaDir: *schemas}
	if opts.SchemaDir != "" {
		if _, err := os.Stat(filepath.Join(opts.SchemaDir, "scorm12", "manifest.xsd")); err != nil {
			return usagef("--schemas %s: not a folder of the SCORM schemas (no scorm12/manifest.xsd)", opts.SchemaDir)
		}
	} else if opts.SchemaDir, err = c.findSchemas(); err != nil {
		return err
	}

	rep, err := inspect.CheckContext(ctx, rest[0], opts)
	if err != nil {
		return err
	}
	if *format == "json" {
		if err := c.printJSON(rep); err != nil {
			return err
		}
	} else {
		c.printText(rep)
	}
	if !rep.OK() {
		return errSilent
	}
	return nil
}

// findSchemas returns shared/xsd from the working directory up, "" when
// there is none: the check then warns that it skipped schema validation.
func (c *validateCmd) findSchemas() (string, error) {
	wd := c.wd
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return "", fmt.Errorf("find schemas: %w", err)
		}
	}
	dir, _ := inspect.FindSchemaDir(wd)
	return dir, nil
}

func (c *validateCmd) printJSON(rep *inspect.Report) error {
	out := validateReport{
		Package: rep.Package, OK: rep.OK(), Format: rep.Format, Version: rep.Version, Schema: rep.Schema,
		Problems: rep.Problems, Warnings: rep.Warnings,
		Summary: packageSummary{Entries: rep.Entries, Files: rep.Files, Bytes: rep.Size, Resources: rep.Resources, SCOs: rep.SCOs},
	}
	if out.Problems == nil {
		out.Problems = []inspect.Problem{}
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote <elements>
	return enc.Encode(out)
}

func (c *validateCmd) printText(rep *inspect.Report) {
	for _, w := range rep.Warnings {
		fmt.Fprintf(c.stderr, "%s: warning: %s\n", rep.Package, w)
	}
	version, unit := "", "SCO"
	switch {
	case rep.Format == inspect.FormatCMI5:
		version, unit = "cmi5", "AU"
	case rep.Format == inspect.FormatXAPI:
		version, unit = "xAPI (tincan.xml)", "launch"
	case rep.Version != "":
		version = "SCORM " + rep.Version
	}
	if rep.OK() {
		note := ""
		if rep.Schema != inspect.SchemaValid {
			note = " (schemas not checked)"
		}
		if rep.Format == inspect.FormatSCORM {
			fmt.Fprintf(c.stdout, "%s: ok: %s, %s, %s, %s, %s uncompressed%s\n", rep.Package, version,
				plural(rep.SCOs, unit), plural(rep.Resources, "resource"), plural(rep.Files, "file"), byteSize(rep.Size), note)
		} else {
			fmt.Fprintf(c.stdout, "%s: ok: %s, %s, %s, %s uncompressed%s\n", rep.Package, version,
				plural(rep.SCOs, unit), plural(rep.Files, "file"), byteSize(rep.Size), note)
		}
		return
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(c.stdout, p.String())
	}
	if version != "" {
		version = " (" + version + ")"
	}
	fmt.Fprintf(c.stderr, "%s: %s%s\n", rep.Package, plural(len(rep.Problems), "problem"), version)
}

// byteSize is a flag value for sizes: 1048576, 1MiB, 1M (binary), 1MB (decimal).
type byteSize int64

var sizePattern = regexp.MustCompile(`^(\d+(?:\.\d+)?) ?(?:([KMGT])(I?B|B?))?$`)

func (s *byteSize) Set(v string) error {
	m := sizePattern.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(v)))
	if m == nil {
		return fmt.Errorf("size %q: use bytes or a unit such as 500MiB, 2GiB, 100MB", v)
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return fmt.Errorf("size %q: %w", v, err)
	}
	base := 1024.0
	if m[3] == "B" {
		base = 1000 // KB, MB, GB: decimal, as disks are sold
	}
	if m[2] != "" {
		n *= math.Pow(base, float64(strings.Index("KMGT", m[2])+1))
	}
	if n > math.MaxInt64 {
		return fmt.Errorf("size %q is too large", v)
	}
	*s = byteSize(n)
	return nil
}

func (s byteSize) String() string {
	if s < 1024 {
		return fmt.Sprintf("%d B", int64(s))
	}
	v, unit := float64(s)/1024, 0
	for v >= 1024 && unit < 3 {
		v /= 1024
		unit++
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + string("KMGT"[unit]) + "iB"
}
