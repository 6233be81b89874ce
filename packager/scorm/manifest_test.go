package scorm_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager/scorm"
	"github.com/coursekit/coursekit/pkg/course"
)

var update = flag.Bool("update", false, "rewrite golden manifests in testdata/")

// testCourses are every valid course in the repository; each manifest built
// from them is validated against the official schemas.
var testCourses = []string{
	"../../content/peer-support-training",
	"../../testdata/courses/features",
	"../../testdata/broken-courses/base",
}

func TestManifestsAreSchemaValid(t *testing.T) {
	schemas := schemaDir(t)
	for _, dir := range testCourses {
		c, err := course.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []scorm.Version{scorm.SCORM12, scorm.SCORM2004} {
			for _, perLesson := range []bool{false, true} {
				name := filepath.Base(dir) + "/" + string(v) + "/" + map[bool]string{false: "course", true: "lesson"}[perLesson]
				t.Run(name, func(t *testing.T) {
					data, err := scorm.Manifest(c, v, scorm.Options{SCOPerLesson: perLesson, Launch: "index.html", Files: []string{"index.html", "media/a b.png"}})
					if err != nil {
						t.Fatal(err)
					}
					entry := map[scorm.Version]string{scorm.SCORM12: "scorm12", scorm.SCORM2004: "scorm2004_4th"}[v]
					xmllint(t, filepath.Join(schemas, entry, "manifest.xsd"), data)
					assertMoodlePrefixes(t, data)
				})
			}
		}
	}
}

// TestManifestGolden pins the exact manifests of the sample course, so a
// change to them is a reviewed diff. Run with -update to rewrite.
func TestManifestGolden(t *testing.T) {
	c, err := course.Load("../../content/peer-support-training")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		v         scorm.Version
		perLesson bool
		golden    string
	}{
		{scorm.SCORM12, false, "peer-support-scorm12-course.xml"},
		{scorm.SCORM2004, true, "peer-support-scorm2004-lesson.xml"},
	} {
		got, err := scorm.Manifest(c, tt.v, scorm.Options{SCOPerLesson: tt.perLesson, Launch: "index.html", Files: []string{"coursekit/player.js", "index.html"}})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", tt.golden)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("manifest differs from %s; run go test -update and review the diff\n%s", path, got)
		}
	}
}

func TestManifestEscapesText(t *testing.T) {
	c := &course.Course{ID: "https://example.org/c/<x>", Title: `Risk & "ethics" <1>`, Language: "en", Version: "1.0.0",
		Completion: course.Completion{Rule: course.CompletedWhenViewed}}
	for _, v := range []scorm.Version{scorm.SCORM12, scorm.SCORM2004} {
		data, err := scorm.Manifest(c, v, scorm.Options{Launch: "index.html", Files: []string{`a&b".html`}})
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if !strings.Contains(s, "Risk &amp; &#34;ethics&#34; &lt;1&gt;") || !strings.Contains(s, `href="a&amp;b&#34;.html"`) {
			t.Errorf("%s manifest does not escape text and attributes:\n%s", v, s)
		}
	}
}

func TestIdentifierIsStableAndNCName(t *testing.T) {
	a := scorm.Identifier("https://courses.coursekit.example/peer-support-training")
	if a != scorm.Identifier("https://courses.coursekit.example/peer-support-training") {
		t.Fatal("Identifier is not stable")
	}
	if !strings.HasPrefix(a, "ck_peer-support-training_") {
		t.Errorf("Identifier = %q, want it to start ck_peer-support-training_", a)
	}
	if b := scorm.Identifier("https://other.example/peer-support-training"); a == b {
		t.Errorf("two course ids share the identifier %q", a)
	}
}

// assertMoodlePrefixes checks the literal prefixes Moodle's importer needs.
func assertMoodlePrefixes(t *testing.T, data []byte) {
	t.Helper()
	s := string(data)
	for _, bad := range []string{"<imscp:", "xmlns:ns", "<adl:", "xml:base"} {
		if strings.Contains(s, bad) {
			t.Errorf("manifest contains %q", bad)
		}
	}
	if !strings.Contains(s, `xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_`) {
		t.Error("manifest does not bind the adlcp: prefix")
	}
}

func xmllint(t *testing.T, schema string, doc []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("COURSEKIT_REQUIRE_TOOLS") != "" {
			t.Fatal("xmllint not found and COURSEKIT_REQUIRE_TOOLS is set; apt-get install libxml2-utils")
		}
		t.Skip("xmllint not found; apt-get install libxml2-utils to validate manifests")
	}
	f := filepath.Join(t.TempDir(), "imsmanifest.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", schema, f).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint: %v\n%s\nmanifest:\n%s", err, out, doc)
	}
}

// schemaDir finds ../shared/xsd above the working directory.
func schemaDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		candidate := filepath.Join(dir, "shared", "xsd")
		if _, err := os.Stat(filepath.Join(candidate, "scorm12", "manifest.xsd")); err == nil {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			if os.Getenv("COURSEKIT_REQUIRE_TOOLS") != "" {
				t.Fatal("shared/xsd not found above the working directory")
			}
			t.Skip("shared/xsd not found above the working directory; schema validation needs the shared schemas")
		}
		dir = parent
	}
}
