package cmi5_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager/cmi5"
	"github.com/coursekit/coursekit/pkg/course"
)

var update = flag.Bool("update", false, "rewrite golden course structures in testdata/")

var testCourses = []string{
	"../../content/peer-support-training",
	"../../testdata/courses/features",
	"../../testdata/broken-courses/base",
}

func mustLoad(t *testing.T, dir string) *course.Course {
	t.Helper()
	c, err := course.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStructuresAreSchemaValid checks every course structure the test
// courses give, in both AU modes, against CourseStructure.xsd with xmllint.
func TestStructuresAreSchemaValid(t *testing.T) {
	xsd := filepath.Join(schemaDir(t), "cmi5", "CourseStructure.xsd")
	for _, dir := range testCourses {
		c := mustLoad(t, dir)
		for _, perLesson := range []bool{false, true} {
			t.Run(filepath.Base(dir)+map[bool]string{false: "/course", true: "/lesson"}[perLesson], func(t *testing.T) {
				data, err := cmi5.Structure(c, cmi5.Options{AUPerLesson: perLesson, Launch: "index.html"})
				if err != nil {
					t.Fatal(err)
				}
				xmllint(t, xsd, data)
			})
		}
	}
}

// TestStructureGolden pins the sample course's structures; -update rewrites.
func TestStructureGolden(t *testing.T) {
	c := mustLoad(t, "../../content/peer-support-training")
	for _, tt := range []struct {
		perLesson bool
		golden    string
	}{
		{false, "peer-support-course.xml"},
		{true, "peer-support-lesson.xml"},
	} {
		got, err := cmi5.Structure(c, cmi5.Options{AUPerLesson: tt.perLesson, Launch: "index.html"})
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
			t.Errorf("course structure differs from %s; run go test -update and review the diff\n%s", path, got)
		}
	}
}

// parsed is the part of a course structure the tests read.
type parsed struct {
	Course struct {
		ID string `xml:"id,attr"`
	} `xml:"course"`
	AUs    []au `xml:"au"`
	Blocks []struct {
		ID  string `xml:"id,attr"`
		AUs []au   `xml:"au"`
	} `xml:"block"`
}

type au struct {
	ID           string `xml:"id,attr"`
	MoveOn       string `xml:"moveOn,attr"`
	MasteryScore string `xml:"masteryScore,attr"`
	LaunchMethod string `xml:"launchMethod,attr"`
	URL          string `xml:"url"`
}

func TestStructureUnits(t *testing.T) {
	c := mustLoad(t, "../../content/peer-support-training")
	var p parsed
	data, _ := cmi5.Structure(c, cmi5.Options{Launch: "index.html"})
	if err := xml.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	want := au{ID: c.ID + "/au", MoveOn: "CompletedAndPassed", MasteryScore: "0.8", LaunchMethod: "AnyWindow", URL: "index.html"}
	if p.Course.ID != c.ID || len(p.Blocks) != 0 || len(p.AUs) != 1 || p.AUs[0] != want {
		t.Errorf("course mode: course %q, %d blocks, AUs %+v; want one AU %+v", p.Course.ID, len(p.Blocks), p.AUs, want)
	}

	p = parsed{}
	data, _ = cmi5.Structure(c, cmi5.Options{AUPerLesson: true, Launch: "index.html"})
	if err := xml.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.AUs) != 0 || len(p.Blocks) != len(c.Sections) {
		t.Fatalf("lesson mode: %d AUs at the root, %d blocks; want none and %d", len(p.AUs), len(p.Blocks), len(c.Sections))
	}
	byID := map[string]au{}
	for i, b := range p.Blocks {
		if want := c.ActivityID(course.SectionActivities, c.Sections[i].ID); b.ID != want {
			t.Errorf("block %d id %q, want %q", i, b.ID, want)
		}
		for _, a := range b.AUs {
			byID[a.ID] = a
		}
	}
	for _, l := range c.Lessons {
		a, ok := byID[c.ActivityID(course.LessonActivities, l.ID)]
		switch {
		case !ok:
			t.Errorf("no AU for lesson %s", l.ID)
		case a.URL != "index.html?lesson="+l.ID:
			t.Errorf("AU %s url %q", l.ID, a.URL)
		case len(l.Questions()) > 0 && (a.MoveOn != "CompletedAndPassed" || a.MasteryScore != "0.8"):
			t.Errorf("assessed lesson %s: moveOn %q masteryScore %q, want CompletedAndPassed and 0.8", l.ID, a.MoveOn, a.MasteryScore)
		case len(l.Questions()) == 0 && (a.MoveOn != "Completed" || a.MasteryScore != ""):
			t.Errorf("lesson %s without questions: moveOn %q masteryScore %q, want Completed and none", l.ID, a.MoveOn, a.MasteryScore)
		}
	}
}

func TestMoveOn(t *testing.T) {
	tests := []struct {
		rule     course.CompletionRule
		assessed bool
		want     string
	}{
		{course.CompletedWhenViewed, true, "Completed"},
		{course.CompletedByProgress, true, "Completed"},
		{course.CompletedWhenPassed, true, "Passed"},
		{course.CompletedWhenPassed, false, "Completed"},
		{course.CompletedWhenViewedAndPassed, true, "CompletedAndPassed"},
		{course.CompletedWhenViewedAndPassed, false, "Completed"},
	}
	for _, tt := range tests {
		if got := cmi5.MoveOn(course.Completion{Rule: tt.rule}, tt.assessed); got != tt.want {
			t.Errorf("MoveOn(%s, %v) = %q, want %q", tt.rule, tt.assessed, got, tt.want)
		}
	}
}

func TestStructureEscapesText(t *testing.T) {
	c := &course.Course{ID: "https://example.org/c?a=1&b=2", Title: `Risk & "ethics" <1>`, Language: "en", Version: "1.0.0",
		Completion: course.Completion{Rule: course.CompletedWhenViewed}}
	data, err := cmi5.Structure(c, cmi5.Options{Launch: "index.html"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.Contains(s, "Risk &amp; &#34;ethics&#34; &lt;1&gt;") || !strings.Contains(s, `id="https://example.org/c?a=1&amp;b=2"`) {
		t.Errorf("structure does not escape text and attributes:\n%s", s)
	}
	if _, err := cmi5.Structure(c, cmi5.Options{}); err == nil {
		t.Error("Structure without a launch page succeeded")
	}
}

func xmllint(t *testing.T, schema string, doc []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("COURSEKIT_REQUIRE_TOOLS") != "" {
			t.Fatal("xmllint not found and COURSEKIT_REQUIRE_TOOLS is set; apt-get install libxml2-utils")
		}
		t.Skip("xmllint not found; apt-get install libxml2-utils to validate course structures")
	}
	f := filepath.Join(t.TempDir(), cmi5.FileName)
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema", schema, f).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint: %v\n%s\ncmi5.xml:\n%s", err, out, doc)
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
		if _, err := os.Stat(filepath.Join(candidate, "cmi5", "CourseStructure.xsd")); err == nil {
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
