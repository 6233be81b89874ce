package tincan_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager/tincan"
	"github.com/coursekit/coursekit/pkg/course"
)

var update = flag.Bool("update", false, "rewrite the golden tincan.xml in testdata/")

type parsed struct {
	XMLName    xml.Name `xml:"http://projecttincan.com/tincan.xsd tincan"`
	Activities []struct {
		ID              string `xml:"id,attr"`
		Type            string `xml:"type,attr"`
		Name            string `xml:"name"`
		Launch          string `xml:"launch"`
		InteractionType string `xml:"interactionType"`
	} `xml:"activities>activity"`
}

func TestManifestActivities(t *testing.T) {
	c, err := course.Load("../../content/peer-support-training")
	if err != nil {
		t.Fatal(err)
	}
	data, err := tincan.Manifest(c, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	var p parsed
	if err := xml.Unmarshal(data, &p); err != nil {
		t.Fatalf("parse tincan.xml: %v\n%s", err, data)
	}
	first := p.Activities[0]
	if first.ID != c.ID || first.Type != tincan.CourseType || first.Launch != "index.html" || first.Name != c.Title {
		t.Errorf("first activity = %+v, want the course launching index.html", first)
	}
	ids := map[string]string{}
	for i, a := range p.Activities {
		if i > 0 && a.Launch != "" {
			t.Errorf("activity %s has a launch; only the course is launched", a.ID)
		}
		if _, dup := ids[a.ID]; dup {
			t.Errorf("activity %s listed twice", a.ID)
		}
		ids[a.ID] = a.Type
	}
	for _, l := range c.Lessons {
		if ids[c.ActivityID(course.LessonActivities, l.ID)] != tincan.LessonType {
			t.Errorf("lesson %s is not listed as a lesson activity", l.ID)
		}
	}
	for _, q := range c.Questions() {
		if ids[c.ActivityID(course.InteractionActivities, q.ID)] != tincan.InteractionType {
			t.Errorf("question %s is not listed as an interaction", q.ID)
		}
	}
	if want := 1 + len(c.Lessons) + len(c.Questions()) + 2; len(p.Activities) != want {
		t.Errorf("%d activities, want %d (course, lessons, questions, a reflection and an essay)", len(p.Activities), want)
	}
}

func TestManifestGolden(t *testing.T) {
	c, err := course.Load("../../testdata/courses/features")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tincan.Manifest(c, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "features-tincan.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("tincan.xml differs from %s; run go test -update and review the diff\n%s", path, got)
	}
}

func TestManifestEscapesText(t *testing.T) {
	c := &course.Course{ID: "https://example.org/c?a=1&b=2", Title: `Risk & "ethics" <1>`, Language: "en"}
	data, err := tincan.Manifest(c, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.Contains(s, "Risk &amp; &#34;ethics&#34; &lt;1&gt;") || !strings.Contains(s, `id="https://example.org/c?a=1&amp;b=2"`) {
		t.Errorf("tincan.xml does not escape text and attributes:\n%s", s)
	}
	if _, err := tincan.Manifest(c, ""); err == nil {
		t.Error("Manifest without a launch page succeeded")
	}
}
