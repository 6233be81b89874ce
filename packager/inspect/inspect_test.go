package inspect

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// problems runs Check and returns its problems as text, with the zip path
// shown as ZIP.
func problems(t *testing.T, zipPath string, opts Options) []string {
	t.Helper()
	rep, err := Check(zipPath, opts)
	if err != nil {
		t.Fatalf("Check(%s) error: %v", zipPath, err)
	}
	if rep.OK() != (len(rep.Problems) == 0) {
		t.Errorf("OK() = %v with %d problems", rep.OK(), len(rep.Problems))
	}
	got := []string{}
	for _, p := range rep.Problems {
		got = append(got, strings.Replace(p.String(), zipPath, "ZIP", 1))
	}
	return got
}

func TestCheckHostileArchives(t *testing.T) {
	zeros := make([]byte, 8<<20)
	tests := []struct {
		name  string
		files func(t *testing.T, base files) files
		opts  Options
		after func(t *testing.T, zipPath string) // rewrites the written zip
		want  []string
	}{
		{"parent segment", func(t *testing.T, b files) files {
			return b.with(entry{name: "../evil.js"}, entry{name: "lib/../../evil.js"}, entry{name: "lib/.."})
		}, Options{}, nil, []string{
			`ZIP: entry "../evil.js": ".." in the path would write outside the package`,
			`ZIP: entry "lib/../../evil.js": ".." in the path would write outside the package`,
			`ZIP: entry "lib/..": ".." in the path would write outside the package`,
		}},
		{"absolute", func(t *testing.T, b files) files {
			return b.with(entry{name: "/abs.js"}, entry{name: "C:/win.js"}, entry{name: "c:evil.js"})
		}, Options{}, nil, []string{
			`ZIP: entry "/abs.js": absolute path; names must be relative to the package root`,
			`ZIP: entry "C:/win.js": absolute path with a drive letter; names must be relative to the package root`,
			`ZIP: entry "c:evil.js": absolute path with a drive letter; names must be relative to the package root`,
		}},
		{"backslash", func(t *testing.T, b files) files {
			return b.with(entry{name: `a\..\b`}, entry{name: `lib\x.js`})
		}, Options{}, nil, []string{
			`ZIP: entry "a\\..\\b": backslash in the name; Windows reads it as a folder separator, so names must use "/"`,
			`ZIP: entry "lib\\x.js": backslash in the name; Windows reads it as a folder separator, so names must use "/"`,
		}},
		{"symlink", func(t *testing.T, b files) files {
			return b.with(entry{name: "lib/link.js", body: "/etc/passwd", mode: fs.ModeSymlink | 0o777})
		}, Options{}, nil, []string{
			`ZIP: entry "lib/link.js" is a symbolic link; a package must hold regular files only`,
		}},
		{"duplicate name", func(t *testing.T, b files) files {
			return b.with(entry{name: "lib/player.js", body: "alert(1)"})
		}, Options{}, nil, []string{`ZIP: entry "lib/player.js" appears more than once`}},
		{"case collision", func(t *testing.T, b files) files {
			return b.with(entry{name: "lib/Player.js"}, entry{name: "LIB/style.css"})
		}, Options{}, nil, []string{
			`ZIP: entries "lib/player.js" and "lib/Player.js" differ only in case; they collide on Windows and macOS`,
			`ZIP: entries "lib/style.css" and "LIB/style.css" differ only in case; they collide on Windows and macOS`,
		}},
		{"same file after cleaning", func(t *testing.T, b files) files {
			return b.with(entry{name: "./index.html"}, entry{name: "lib//player.js"})
		}, Options{}, nil, []string{
			`ZIP: entries "index.html" and "./index.html" name the same file`,
			`ZIP: entries "lib/player.js" and "lib//player.js" name the same file`,
		}},
		{"too many entries", func(t *testing.T, b files) files { return b }, Options{MaxEntries: 3}, nil, []string{
			`ZIP: the zip declares 5 entries, more than the limit of 3; refusing a possible zip bomb`,
		}},
		{"huge central directory", func(t *testing.T, b files) files {
			return b.with(entry{name: "lib/" + strings.Repeat("x", 6000) + ".js"})
		}, Options{MaxEntries: 6}, nil, []string{
			`ZIP: the central directory takes 6.2 KiB, more than 6 entries need; refusing a possible zip bomb`,
		}},
		{"too many entries, zip64", func(t *testing.T, b files) files {
			for i := range 70000 {
				b = append(b, entry{name: fmt.Sprintf("f/%d", i), raw: &zip.FileHeader{Method: zip.Store}})
			}
			return b
		}, Options{}, nil, []string{`ZIP: the zip declares 70005 entries, more than the limit of 10000; refusing a possible zip bomb`}},
		{"ratio bomb", func(t *testing.T, b files) files {
			return b.with(deflated(t, "lib/zeros.bin", zeros, len(zeros)))
		}, Options{MaxRatio: 10}, nil, []string{
			`ZIP: entry "lib/zeros.bin" expands more than 10 times its compressed size; refusing a possible zip bomb`,
		}},
		{"total size", func(t *testing.T, b files) files {
			return b.with(stored("lib/big.bin", 2<<20), stored("lib/more.bin", 10))
		}, Options{MaxSize: 1 << 20}, nil, []string{
			`ZIP: the entries hold more than 1 MiB uncompressed in total, the limit; refusing a possible zip bomb`,
		}},
		{"lying header", func(t *testing.T, b files) files {
			return b.with(deflated(t, "lib/liar.js", bytes.Repeat([]byte("x"), 100000), 10))
		}, Options{}, nil, []string{`ZIP: entry "lib/liar.js" holds more data than its header declares (10 bytes)`}},
		{"encrypted", func(t *testing.T, b files) files {
			e := stored("lib/secret.js", 3)
			e.raw.Flags |= 0x1
			return b.with(e)
		}, Options{}, nil, []string{`ZIP: entry "lib/secret.js" is encrypted; an LMS cannot read it`}},
		{"unsupported method", func(t *testing.T, b files) files {
			e := stored("lib/old.js", 3)
			e.raw.Method = 12
			return b.with(e)
		}, Options{}, nil, []string{
			`ZIP: entry "lib/old.js" uses compression method 12 (bzip2), which LMSs cannot read; use deflate or store`,
		}},
		{"overlapping entries", func(t *testing.T, b files) files {
			return b.with(stored("lib/a.bin", 100), stored("lib/b.bin", 100))
		}, Options{}, func(t *testing.T, p string) { overlap(t, p, "lib/a.bin", "lib/b.bin") }, []string{
			`ZIP: entries "lib/a.bin" and "lib/b.bin" overlap in the archive; refusing a possible zip bomb`,
		}},
		{"not a zip", func(t *testing.T, b files) files { return b }, Options{}, func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte("PK but not really a zip"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{`ZIP: not a zip archive: zip: not a valid zip file`}},
		{"missing manifest", func(t *testing.T, b files) files { return b.without(ManifestName) }, Options{}, nil, []string{
			`ZIP: no imsmanifest.xml at the root of the zip; this is not a SCORM package (nor a cmi5 or xAPI one: no cmi5.xml or tincan.xml)`,
		}},
		{"manifest in a folder", func(t *testing.T, b files) files { return b.under("course") }, Options{}, nil, []string{
			`ZIP: no imsmanifest.xml at the root of the zip, but "course/imsmanifest.xml" exists: zip the contents of course/, not the folder itself`,
		}},
		{"manifest name case", func(t *testing.T, b files) files {
			m := b[0]
			m.name = "IMSManifest.xml"
			return b.without(ManifestName).with(m)
		}, Options{}, nil, []string{`ZIP: the manifest is named "IMSManifest.xml"; it must be imsmanifest.xml, in lower case`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zipPath := writeZip(t, tt.files(t, fixture(t, "scorm12")))
			if tt.after != nil {
				tt.after(t, zipPath)
			}
			got := problems(t, zipPath, tt.opts)
			if diff := diffLines(tt.want, got); diff != "" {
				t.Errorf("Check problems differ:\n%s", diff)
			}
		})
	}
}

func TestCheckSoundPackages(t *testing.T) {
	opts := schemaOptions(t)
	tests := []struct {
		fixture, version string
		files, scos      int
	}{
		{"scorm12", "1.2", 5, 1},
		{"scorm2004", "2004 4th Edition", 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			zipPath := writeZip(t, fixture(t, tt.fixture))
			rep, err := Check(zipPath, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK() || len(rep.Warnings) > 0 {
				t.Errorf("Check(%s) problems = %v, warnings = %v; want none", tt.fixture, rep.Problems, rep.Warnings)
			}
			if rep.Version != tt.version || rep.Schema != SchemaValid || rep.Files != tt.files || rep.SCOs != tt.scos || rep.Resources != 2 {
				t.Errorf("Check(%s) = version %q, schema %q, %d files, %d SCOs, %d resources; want %q, %q, %d, %d, 2",
					tt.fixture, rep.Version, rep.Schema, rep.Files, rep.SCOs, rep.Resources, tt.version, SchemaValid, tt.files, tt.scos)
			}
		})
	}
}

func TestCheckSchemaSkipped(t *testing.T) {
	zipPath := writeZip(t, fixture(t, "scorm12"))
	tests := []struct {
		name, warning string
		opts          Options
	}{
		{"no schema folder", "schema validation skipped: no schema folder (the official SCORM and cmi5 schemas, shared/xsd); pass it with --schemas DIR", Options{}},
		{"no xmllint", "schema validation skipped: /nonexistent/xmllint not found; install it (Debian: apt-get install libxml2-utils)",
			Options{SchemaDir: "../../../shared/xsd", XMLLint: "/nonexistent/xmllint"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.SchemaDir != "" {
				dir, ok := FindSchemaDir(".")
				if !ok {
					t.Skip("no shared/xsd in the working directory or above")
				}
				tt.opts.SchemaDir = dir
			}
			rep, err := Check(zipPath, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK() || rep.Schema != SchemaSkipped {
				t.Errorf("Check = problems %v, schema %q; want none, %q", rep.Problems, rep.Schema, SchemaSkipped)
			}
			if diff := diffLines([]string{tt.warning}, rep.Warnings); diff != "" {
				t.Errorf("warnings differ:\n%s", diff)
			}
		})
	}
}

func TestCheckIOErrors(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{filepath.Join(dir, "missing.zip"), dir} {
		if rep, err := Check(p, Options{}); err == nil {
			t.Errorf("Check(%s) = %+v, nil; want an error", p, rep)
		}
	}
	zipPath := writeZip(t, fixture(t, "scorm12"))
	if _, err := Check(zipPath, Options{SchemaDir: dir}); err == nil || !strings.Contains(err.Error(), "manifest.xsd") {
		t.Errorf("Check with a schema folder lacking the schemas: error = %v, want one naming manifest.xsd", err)
	}
}

func TestFindSchemaDir(t *testing.T) {
	root := t.TempDir()
	xsd := filepath.Join(root, "shared", "xsd")
	deep := filepath.Join(root, "main", "packager", "inspect")
	for _, d := range []string{filepath.Join(xsd, "scorm12"), deep} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := FindSchemaDir(deep); ok {
		t.Errorf("FindSchemaDir(%s) found a folder without scorm12/manifest.xsd", deep)
	}
	if err := os.WriteFile(filepath.Join(xsd, "scorm12", "manifest.xsd"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok := FindSchemaDir(deep); !ok || got != xsd {
		t.Errorf("FindSchemaDir(%s) = %q, %v; want %q, true", deep, got, ok, xsd)
	}
}

// diffLines returns "" when the lists are equal, else both, one item a line.
func diffLines(want, got []string) string {
	if strings.Join(want, "\n") == strings.Join(got, "\n") {
		return ""
	}
	return "-want:\n  " + strings.Join(want, "\n  ") + "\n+got:\n  " + strings.Join(got, "\n  ")
}
