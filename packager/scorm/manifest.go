// Package scorm writes the imsmanifest.xml of SCORM 1.2 and SCORM 2004 4th
// Edition packages.
//
// Manifests are written from text templates, not encoding/xml: Moodle's
// importer ignores namespaces and matches the literal prefixes adlcp:,
// imsss:, adlnav: and adlseq:, and encoding/xml would rename them.
package scorm

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/coursekit/coursekit/pkg/course"
)

// Version is a SCORM edition.
type Version string

// The SCORM editions coursekit writes.
const (
	SCORM12   Version = "scorm12"
	SCORM2004 Version = "scorm2004"
)

// Options shape the manifest.
type Options struct {
	// SCOPerLesson makes each lesson a SCO launched as Launch?lesson=ID, with
	// sections as clusters; otherwise the whole course is one SCO.
	SCOPerLesson bool
	// Launch is the launch page, relative to the package root.
	Launch string
	// Files are every file of the package except imsmanifest.xml, listed in
	// the SCO's resource.
	Files []string
}

//go:embed manifest12.xml manifest2004.xml
var templates embed.FS

var manifestTemplates = map[Version]*template.Template{
	SCORM12:   parse("manifest12.xml"),
	SCORM2004: parse("manifest2004.xml"),
}

func parse(name string) *template.Template {
	return template.Must(template.New(name).Funcs(template.FuncMap{"x": escape}).ParseFS(templates, name))
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// manifest is the data the templates read.
type manifest struct {
	Identifier, CourseID, Version, Title, Description, Language string
	OrgID, ResourceID, Launch                                   string
	Items                                                       []*item
	Files                                                       []string
}

type item struct {
	ID, Title, Indent string
	// SCO items launch the resource, with Parameters selecting the lesson.
	SCO                     bool
	ResourceRef, Parameters string
	Children                []*item
	Assessed                bool
	MasteryScore            string
	CompletionThreshold     string
}

// Manifest returns the imsmanifest.xml for c in the given edition.
func Manifest(c *course.Course, v Version, opts Options) ([]byte, error) {
	t, ok := manifestTemplates[v]
	if !ok {
		return nil, fmt.Errorf("unknown SCORM version %q", v)
	}
	base := Identifier(c.ID)
	m := manifest{
		Identifier:  base,
		CourseID:    c.ID,
		Version:     c.Version,
		Title:       c.Title,
		Description: strings.TrimSpace(c.Description),
		Language:    c.Language,
		OrgID:       base + "_org",
		ResourceID:  base + "_sco",
		Launch:      opts.Launch,
		Files:       opts.Files,
	}
	if opts.SCOPerLesson {
		for _, s := range c.Sections {
			section := &item{ID: "section_" + s.ID, Title: s.Title, Indent: indent(3)}
			for _, l := range s.Lessons {
				section.Children = append(section.Children, scoItem(c, v, m.ResourceID, l.ID, l.Title, "?lesson="+l.ID, len(l.Questions()) > 0, 4))
			}
			m.Items = append(m.Items, section)
		}
	} else {
		m.Items = []*item{scoItem(c, v, m.ResourceID, "course", c.Title, "", len(c.Questions()) > 0, 3)}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, m); err != nil {
		return nil, fmt.Errorf("write %s manifest: %w", v, err)
	}
	return b.Bytes(), nil
}

// scoItem is an item that launches the SCO. Mastery applies only where
// there is something to score; completion by progress only to the whole
// course, since a single lesson is complete when viewed.
func scoItem(c *course.Course, v Version, res, id, title, params string, assessed bool, depth int) *item {
	it := &item{
		ID: "item_" + id, Title: title, Indent: indent(depth),
		SCO: true, ResourceRef: res, Parameters: params, Assessed: assessed,
	}
	if assessed && c.HasMastery {
		if v == SCORM12 {
			it.MasteryScore = number(c.MasteryScore * 100)
		} else {
			it.MasteryScore = number(c.MasteryScore)
		}
	}
	if v == SCORM2004 && params == "" && c.Completion.Rule == course.CompletedByProgress {
		it.CompletionThreshold = number(c.Completion.Threshold)
	}
	return it
}

func number(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func indent(depth int) string { return strings.Repeat("  ", depth) }

// Identifier derives the manifest identifier (an xs:ID) from the course
// IRI: readable from the course's slug, and unique through a short hash of
// the whole IRI. The same course id always gives the same identifier.
func Identifier(courseID string) string {
	sum := sha256.Sum256([]byte(courseID))
	return "ck_" + course.Slug(courseID) + "_" + hex.EncodeToString(sum[:4])
}
