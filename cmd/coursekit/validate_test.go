package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager/inspect"
	"golang.org/x/tools/txtar"
)

// packageZip zips a fixture of packager/inspect, with the manifest edited
// by replacing old with new in pairs, and extra entries added.
func packageZip(t *testing.T, fixture string, edits []string, extra ...string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "packager", "inspect", "testdata", fixture+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []string // name, data, name, data...
	for _, f := range ar.Files {
		data := string(f.Data)
		if f.Name == inspect.ManifestName {
			for i := 0; i+1 < len(edits); i += 2 {
				if !strings.Contains(data, edits[i]) {
					t.Fatalf("manifest of %s does not contain %q", fixture, edits[i])
				}
				data = strings.ReplaceAll(data, edits[i], edits[i+1])
			}
		}
		entries = append(entries, f.Name, data)
	}
	entries = append(entries, extra...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err == nil {
			_, err = w.Write([]byte(entries[i+1]))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), fixture+".zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// requireSchemas skips a test that needs xmllint and ../shared/xsd when they
// are missing, unless COURSEKIT_REQUIRE_TOOLS=1.
func requireSchemas(t *testing.T) {
	t.Helper()
	_, errLint := exec.LookPath("xmllint")
	_, found := inspect.FindSchemaDir(".")
	if errLint == nil && found {
		return
	}
	if os.Getenv("COURSEKIT_REQUIRE_TOOLS") == "1" {
		t.Fatal("xmllint or ../shared/xsd missing, and COURSEKIT_REQUIRE_TOOLS=1 requires them")
	}
	t.Skip("xmllint or ../shared/xsd missing; skipping (Debian: apt-get install libxml2-utils)")
}

func TestValidateCLI(t *testing.T) {
	requireSchemas(t)
	good12 := packageZip(t, "scorm12", nil)
	good2004 := packageZip(t, "scorm2004", nil)
	bad := packageZip(t, "scorm12", []string{`identifierref="sco1"`, `identifierref="sco9"`}, "../evil.js", "x", "notes.txt", "x")
	invalid := packageZip(t, "scorm2004", []string{`minProgressMeasure="0.8"`, `minProgressMeasure="1.8"`})
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings, in order
		wantStderr []string
	}{
		{"-h", []string{"validate", "-h"}, exitOK, []string{"Usage: coursekit validate", "imsmanifest.xml:LINE: message", "-max-entries", "-max-size", "default 2 GiB", "-schemas"}, nil},
		{"help validate", []string{"help", "validate"}, exitOK, []string{"Usage: coursekit validate"}, nil},
		{"listed in help", []string{"help"}, exitOK, []string{"validate", "check a SCORM package zip"}, nil},
		{"no zip", []string{"validate"}, exitUsage, nil, []string{"validate takes one zip file, got 0 arguments", "coursekit validate -h"}},
		{"two zips", []string{"validate", good12, good2004}, exitUsage, nil, []string{"validate takes one zip file, got 2 arguments"}},
		{"bad format", []string{"validate", "--format", "xml", good12}, exitUsage, nil, []string{`unknown --format "xml"`}},
		{"bad size", []string{"validate", "--max-size", "2XB", good12}, exitUsage, nil, []string{`size "2XB": use bytes or a unit`}},
		{"zero limit", []string{"validate", "--max-entries", "0", good12}, exitUsage, nil, []string{"must be positive"}},
		{"bad schemas", []string{"validate", "--schemas", t.TempDir(), good12}, exitUsage, nil, []string{"not a folder of the SCORM schemas"}},
		{"missing zip", []string{"validate", filepath.Join(t.TempDir(), "nope.zip")}, exitFailure, nil, []string{"coursekit validate: open", "no such file or directory"}},
		{"sound 1.2", []string{"validate", good12}, exitOK, []string{good12 + ": ok: SCORM 1.2, 1 SCO, 2 resources, 5 files, 1.5 KiB uncompressed\n"}, nil},
		{"sound 2004, flags after", []string{"validate", good2004, "--max-size", "10MB", "--max-ratio", "50"}, exitOK,
			[]string{good2004 + ": ok: SCORM 2004 4th Edition, 1 SCO, 2 resources, 4 files"}, nil},
		{"problems", []string{"validate", bad}, exitFailure, []string{
			bad + `: entry "../evil.js": ".." in the path would write outside the package` + "\n",
			"imsmanifest.xml:11: no item refers to a SCO resource, so the learner could not launch anything\n",
			`imsmanifest.xml:14: item "item1" refers to resource "sco9", which does not exist` + "\n",
			`imsmanifest.xml:20: "notes.txt" is in the zip but no resource lists it in a <file> element` + "\n",
		}, []string{bad + ": 4 problems (SCORM 1.2)"}},
		{"schema problem", []string{"validate", invalid}, exitFailure, []string{
			"imsmanifest.xml:17: schema: Element 'adlcp:completionThreshold', attribute 'minProgressMeasure': [facet 'maxInclusive'] The value '1.8' is greater than the maximum value allowed ('1.0').",
		}, []string{"1 problem (SCORM 2004 4th Edition)"}},
		{"limit hit", []string{"validate", "--max-entries", "2", good12}, exitFailure, []string{good12 + ": the zip declares 5 entries, more than the limit of 2"}, []string{"1 problem\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCLI(t, tt.args, tt.wantCode, tt.wantStdout, tt.wantStderr)
		})
	}
}

func TestValidateJSON(t *testing.T) {
	requireSchemas(t)
	good := packageZip(t, "scorm2004", nil)
	code, stdout, _ := runCLI(t, "validate", "--format", "json", good)
	if code != exitOK {
		t.Fatalf("exit code = %d, want 0\n%s", code, stdout)
	}
	var r validateReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	want := validateReport{Package: good, OK: true, Format: "scorm", Version: "2004 4th Edition", Schema: "valid",
		Problems: []inspect.Problem{}, Warnings: []string{},
		Summary: packageSummary{Entries: 4, Files: 4, Bytes: r.Summary.Bytes, Resources: 2, SCOs: 1}}
	got, _ := json.Marshal(r)
	wantJSON, _ := json.Marshal(want)
	if string(got) != string(wantJSON) || r.Summary.Bytes == 0 {
		t.Errorf("report = %s\nwant %s", got, wantJSON)
	}

	bad := packageZip(t, "scorm2004", []string{"<resources>", `<resources xml:base="./">`})
	code, stdout, _ = runCLI(t, "validate", bad, "--format", "json")
	if code != exitFailure {
		t.Fatalf("exit code = %d, want 1", code)
	}
	r = validateReport{}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	wantProblem := inspect.Problem{File: "imsmanifest.xml", Line: 36,
		Message: "xml:base on <resources>: Moodle honours xml:base only on <resource>; move it there"}
	if r.OK || len(r.Problems) != 1 || r.Problems[0] != wantProblem {
		t.Errorf("report = %+v, want one problem %+v", r, wantProblem)
	}
	if !strings.Contains(stdout, `"message": "xml:base on <resources>`) {
		t.Errorf("JSON escapes the < of element names:\n%s", stdout)
	}
}

// TestValidateSchemasNotFound runs outside any tree holding shared/xsd: the
// package is still sound, and the report says the schemas were skipped.
func TestValidateSchemasNotFound(t *testing.T) {
	good := packageZip(t, "scorm12", nil)
	for _, format := range []string{"text", "json"} {
		var stdout, stderr bytes.Buffer
		cmd := &validateCmd{stdout: &stdout, stderr: &stderr, wd: t.TempDir()}
		if err := cmd.Run(context.Background(), []string{"--format", format, good}); err != nil {
			t.Fatalf("validate --format %s: %v\n%s%s", format, err, stdout.String(), stderr.String())
		}
		if format == "text" {
			assertInOrder(t, "stdout", stdout.String(), []string{"ok: SCORM 1.2", "(schemas not checked)"})
			assertInOrder(t, "stderr", stderr.String(), []string{good + ": warning: schema validation skipped: no schema folder", "--schemas DIR"})
			continue
		}
		assertInOrder(t, "stdout", stdout.String(), []string{`"ok": true`, `"schema": "skipped"`, `"warnings": [`, "schema validation skipped"})
	}
}

func TestByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		str  string
	}{
		{"1048576", 1 << 20, "1 MiB"},
		{"2GiB", 2 << 30, "2 GiB"},
		{"2 GiB", 2 << 30, "2 GiB"},
		{"1.5M", 3 << 19, "1.5 MiB"},
		{"100MB", 100_000_000, "95.4 MiB"},
		{"64kib", 64 << 10, "64 KiB"},
		{"512", 512, "512 B"},
	}
	for _, tt := range tests {
		var s byteSize
		if err := s.Set(tt.in); err != nil || int64(s) != tt.want || s.String() != tt.str {
			t.Errorf("Set(%q) = %d (%s), %v; want %d (%s)", tt.in, s, s.String(), err, tt.want, tt.str)
		}
	}
	for _, in := range []string{"", "GiB", "2XB", "-1", "1iB", "1e9"} {
		var s byteSize
		if err := s.Set(in); err == nil {
			t.Errorf("Set(%q) = %d, nil; want an error", in, s)
		}
	}
}
