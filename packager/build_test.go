package packager_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager"
	"github.com/coursekit/coursekit/packager/inspect"
	"github.com/coursekit/coursekit/packager/runtime"
	"github.com/coursekit/coursekit/pkg/course"
)

const peerSupport = "../content/peer-support-training"

func mustLoad(t testing.TB, dir string) *course.Course {
	t.Helper()
	c, err := course.Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return c
}

func TestBuildIsDeterministic(t *testing.T) {
	c := mustLoad(t, "../testdata/courses/features")
	for _, perLesson := range []bool{false, true} {
		a, b := t.TempDir(), t.TempDir()
		opts := packager.Options{Formats: packager.Formats, SCOPerLesson: perLesson, AUPerLesson: perLesson}
		opts.OutDir = a
		ra, err := packager.Build(context.Background(), c, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.OutDir = b
		if _, err := packager.Build(context.Background(), c, opts); err != nil {
			t.Fatal(err)
		}
		for _, r := range ra {
			first, _ := os.ReadFile(r.Path)
			second, _ := os.ReadFile(filepath.Join(b, filepath.Base(r.Path)))
			if len(first) == 0 || !bytes.Equal(first, second) {
				t.Errorf("%s (per lesson %v) differs between two builds", filepath.Base(r.Path), perLesson)
			}
		}
	}
}

func TestBuildNamesAndListsEveryFile(t *testing.T) {
	c := mustLoad(t, "../testdata/courses/features")
	out := t.TempDir()
	results, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.Formats, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range results {
		names = append(names, filepath.Base(r.Path))
	}
	want := []string{"features-scorm12-2.1.0-beta.1.zip", "features-scorm2004-2.1.0-beta.1.zip",
		"features-cmi5-2.1.0-beta.1.zip", "features-xapi-2.1.0-beta.1.zip"}
	if !slices.Equal(names, want) {
		t.Fatalf("built %v, want %v", names, want)
	}
	manifestName := map[packager.Format]string{packager.SCORM12: "imsmanifest.xml", packager.SCORM2004: "imsmanifest.xml",
		packager.CMI5: "cmi5.xml", packager.XAPI: "tincan.xml"}
	for _, r := range results {
		zr, err := zip.OpenReader(r.Path)
		if err != nil {
			t.Fatal(err)
		}
		var inZip []string
		var manifest []byte
		for _, f := range zr.File {
			if f.Name == manifestName[r.Format] {
				rc, _ := f.Open()
				manifest = readAll(t, rc)
				continue
			}
			inZip = append(inZip, f.Name)
		}
		zr.Close()
		if len(manifest) == 0 {
			t.Errorf("%s: no %s at the root", r.Format, manifestName[r.Format])
			continue
		}
		if !slices.Contains(inZip, "index.html") {
			t.Errorf("%s: no index.html", r.Format)
		}
		if r.Format.IsSCORM() {
			listed := fileHrefs(t, manifest)
			slices.Sort(listed)
			if !slices.Equal(inZip, listed) {
				t.Errorf("%s: zip holds %v but the manifest lists %v", r.Format, inZip, listed)
			}
		}
		for _, f := range c.Files {
			if !slices.Contains(inZip, f) {
				t.Errorf("%s: course file %s is not in the package", r.Format, f)
			}
		}
	}
}

func TestBuildFailureLeavesNothing(t *testing.T) {
	src := copyCourse(t, "../testdata/courses/features")
	c := mustLoad(t, src)
	out := t.TempDir()
	old := filepath.Join(out, packager.FileName(c, packager.SCORM12))
	if err := os.WriteFile(old, []byte("the previous package"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The media disappears between loading and building, as on a disk error.
	if err := os.Remove(filepath.Join(src, "media", "walkthrough.mp4")); err != nil {
		t.Fatal(err)
	}
	_, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.Formats, OutDir: out})
	if err == nil || !strings.Contains(err.Error(), "walkthrough.mp4") {
		t.Fatalf("Build = %v, want an error naming the missing file", err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(old) {
		t.Errorf("output folder holds %v after a failed build, want only the previous package", entries)
	}
	if data, _ := os.ReadFile(old); string(data) != "the previous package" {
		t.Error("a failed build changed the previous package")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := packager.Build(ctx, mustLoad(t, peerSupport), packager.Options{Formats: packager.Formats, OutDir: out}); err == nil {
		t.Error("Build with a cancelled context succeeded")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("output folder holds %d entries after an interrupted build, want 1", len(entries))
	}
}

func TestParseFormats(t *testing.T) {
	got, err := packager.ParseFormats("scorm2004, scorm12,scorm2004")
	if err != nil || !slices.Equal(got, []packager.Format{packager.SCORM2004, packager.SCORM12}) {
		t.Errorf("ParseFormats = %v, %v", got, err)
	}
	got, err = packager.ParseFormats("cmi5,xapi,scorm12")
	if err != nil || !slices.Equal(got, []packager.Format{packager.CMI5, packager.XAPI, packager.SCORM12}) {
		t.Errorf("ParseFormats(cmi5,xapi,scorm12) = %v, %v", got, err)
	}
	if _, err := packager.ParseFormats("scorm12,aicc"); err == nil || !strings.Contains(err.Error(), `"aicc"`) {
		t.Errorf("ParseFormats(aicc) = %v, want an error naming it", err)
	}
}

// BenchmarkBuildPeerSupport builds the sample course: both SCORM formats
// (the default build), each xAPI-era format alone, and all four at once.
func BenchmarkBuildPeerSupport(b *testing.B) {
	c := mustLoad(b, peerSupport)
	for _, bc := range []struct {
		name    string
		formats []packager.Format
	}{
		{"scorm", packager.DefaultFormats},
		{"cmi5", []packager.Format{packager.CMI5}},
		{"xapi", []packager.Format{packager.XAPI}},
		{"all", packager.Formats},
	} {
		b.Run(bc.name, func(b *testing.B) {
			out := b.TempDir()
			for b.Loop() {
				if _, err := packager.Build(context.Background(), c, packager.Options{Formats: bc.formats, OutDir: out}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func fileHrefs(t *testing.T, manifest []byte) []string {
	t.Helper()
	var m struct {
		Resources []struct {
			Files []struct {
				Href string `xml:"href,attr"`
			} `xml:"file"`
		} `xml:"resources>resource"`
	}
	if err := xml.Unmarshal(manifest, &m); err != nil {
		t.Fatalf("parse manifest: %v", err)
	}
	var hrefs []string
	for _, r := range m.Resources {
		for _, f := range r.Files {
			hrefs = append(hrefs, f.Href)
		}
	}
	return hrefs
}

func readAll(t *testing.T, rc interface {
	Read([]byte) (int, error)
	Close() error
}) []byte {
	t.Helper()
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func copyCourse(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(dir))
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestBuiltPackagesValidate runs the package checker, schemas included, on
// every package of every format built from every test course in both SCO
// (and AU) modes.
func TestBuiltPackagesValidate(t *testing.T) {
	schemas, ok := inspect.FindSchemaDir(".")
	if !ok {
		if os.Getenv("COURSEKIT_REQUIRE_TOOLS") != "" {
			t.Fatal("shared/xsd not found above the working directory and COURSEKIT_REQUIRE_TOOLS is set")
		}
		t.Skip("shared/xsd not found above the working directory; packages are checked without schemas elsewhere")
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("COURSEKIT_REQUIRE_TOOLS") != "" {
			t.Fatal("xmllint not found and COURSEKIT_REQUIRE_TOOLS is set; apt-get install libxml2-utils")
		}
		t.Skip("xmllint not found; apt-get install libxml2-utils to validate built packages")
	}
	for _, dir := range []string{peerSupport, "../testdata/courses/features", "../testdata/broken-courses/base"} {
		c := mustLoad(t, dir)
		for _, perLesson := range []bool{false, true} {
			out := t.TempDir()
			results, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.Formats, OutDir: out, SCOPerLesson: perLesson, AUPerLesson: perLesson})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				rep, err := inspect.Check(r.Path, inspect.Options{SchemaDir: schemas})
				if err != nil {
					t.Fatal(err)
				}
				// tincan.xml has no official schema; its structure is checked.
				wantSchema := map[bool]string{true: inspect.SchemaSkipped, false: inspect.SchemaValid}[r.Format == packager.XAPI]
				if !rep.OK() || rep.Schema != wantSchema {
					t.Errorf("%s (per lesson %v): schema %s, problems %v", filepath.Base(r.Path), perLesson, rep.Schema, rep.Problems)
				}
			}
		}
	}
}

// TestBuildLRSReachesSCORMOnly checks that an LRS given to Build is baked
// into the SCORM packages' course data and into nothing else: cmi5 and
// xAPI packages take theirs from the launch.
func TestBuildLRSReachesSCORMOnly(t *testing.T) {
	c := mustLoad(t, peerSupport)
	lrs := &runtime.LRS{Endpoint: "https://lrs.example.org/xapi/", Auth: "Basic a2V5OnNlY3JldA=="}
	results, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.Formats, OutDir: t.TempDir(), LRS: lrs})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		zr, err := zip.OpenReader(r.Path)
		if err != nil {
			t.Fatal(err)
		}
		var script []byte
		for _, f := range zr.File {
			if f.Name == "coursekit/course.js" {
				rc, _ := f.Open()
				script = readAll(t, rc)
			}
		}
		zr.Close()
		has := bytes.Contains(script, []byte(`"lrs":{"endpoint":"https://lrs.example.org/xapi/","auth":"Basic a2V5OnNlY3JldA=="}`))
		if has != r.Format.IsSCORM() {
			t.Errorf("%s: course.js carries the LRS: %v, want %v", r.Format, has, r.Format.IsSCORM())
		}
	}
}
