// Package cmi5 writes the course structure (cmi5.xml) of cmi5 course
// packages: the course, a block for each section and an assignable unit
// (AU) for each lesson, or one AU for the whole course.
//
// The structure is written from a text template, as the SCORM manifests
// are, so the file reads the way the specification's examples do.
package cmi5

import (
	"bytes"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"

	"github.com/coursekit/coursekit/pkg/course"
)

// FileName is the course structure's name; it must be at the zip root.
const FileName = "cmi5.xml"

// LaunchMethod is the launchMethod of every AU. The player runs in a frame
// or a window of its own alike, and returns to the LMS by itself when the
// LMS gives it a returnURL, so the LMS may choose.
const LaunchMethod = "AnyWindow"

// The moveOn values coursekit writes (cmi5 §13.1.4).
const (
	MoveOnCompleted          = "Completed"
	MoveOnPassed             = "Passed"
	MoveOnCompletedAndPassed = "CompletedAndPassed"
)

// Options shape the course structure.
type Options struct {
	// AUPerLesson makes each lesson an AU launched as Launch?lesson=ID, in a
	// block for its section; otherwise the whole course is one AU.
	AUPerLesson bool
	// Launch is the player's launch page, relative to the package root.
	Launch string
}

//go:embed cmi5.xml
var templates embed.FS

var structureTemplate = template.Must(template.New(FileName).Funcs(template.FuncMap{"x": escape}).ParseFS(templates, FileName))

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

type structure struct {
	ID, Title, Description, Language string
	Nodes                            []*node
}

// node is a block (with Children) or an AU.
type node struct {
	AU                               bool
	ID, Title, Description, Language string
	Indent                           string
	Children                         []*node
	URL, MoveOn, MasteryScore        string
	LaunchMethod, ActivityType       string
}

// Structure returns cmi5.xml for c.
func Structure(c *course.Course, opts Options) ([]byte, error) {
	if opts.Launch == "" {
		return nil, errors.New("cmi5 structure: no launch page")
	}
	s := structure{ID: c.ID, Title: c.Title, Description: describe(c.Description, c.Title), Language: c.Language}
	if opts.AUPerLesson {
		for _, sec := range c.Sections {
			b := &node{ID: c.ActivityID(course.SectionActivities, sec.ID), Title: sec.Title,
				Description: describe(sec.Description, sec.Title), Language: c.Language, Indent: indent(1)}
			for _, l := range sec.Lessons {
				au := newAU(c, AUID(c, l.ID), l.Title, describe(strings.Join(l.Objectives, " "), l.Title),
					opts.Launch+"?lesson="+l.ID, lessonType, len(l.Questions()) > 0)
				au.Indent = indent(2)
				b.Children = append(b.Children, au)
			}
			s.Nodes = append(s.Nodes, b)
		}
	} else {
		au := newAU(c, AUID(c, ""), c.Title, s.Description, opts.Launch, courseType, len(c.Questions()) > 0)
		au.Indent = indent(1)
		s.Nodes = []*node{au}
	}
	var b bytes.Buffer
	if err := structureTemplate.Execute(&b, s); err != nil {
		return nil, fmt.Errorf("write cmi5 structure: %w", err)
	}
	return b.Bytes(), nil
}

// AUID is the publisher id of an AU: the lesson's activity IRI, or the
// course ID followed by /au for the one AU of the whole course (an AU id
// must differ from the course's).
func AUID(c *course.Course, lesson string) string {
	if lesson == "" {
		return strings.TrimRight(c.ID, "/") + "/au"
	}
	return c.ActivityID(course.LessonActivities, lesson)
}

// Activity types of AUs, which LMSs show before a first launch.
const (
	courseType = "http://adlnet.gov/expapi/activities/course"
	lessonType = "http://adlnet.gov/expapi/activities/lesson"
)

func newAU(c *course.Course, id, title, desc, url, activityType string, hasQuestions bool) *node {
	assessed := hasQuestions && c.HasMastery
	au := &node{AU: true, ID: id, Title: title, Description: desc, Language: c.Language, URL: url,
		MoveOn: MoveOn(c.Completion, assessed), LaunchMethod: LaunchMethod,
		ActivityType: activityType}
	if assessed {
		au.MasteryScore = strconv.FormatFloat(math.Round(c.MasteryScore*10000)/10000, 'f', -1, 64)
	}
	return au
}

// MoveOn maps the course's completion rule to an AU's moveOn. An AU with
// nothing to pass (no questions, or no mastery score) can only be
// completed, so a rule that needs a pass becomes Completed there, as a
// lesson without questions is complete once viewed.
func MoveOn(rule course.Completion, assessed bool) string {
	switch {
	case rule.Rule == course.CompletedWhenPassed && assessed:
		return MoveOnPassed
	case rule.Rule == course.CompletedWhenViewedAndPassed && assessed:
		return MoveOnCompletedAndPassed
	}
	return MoveOnCompleted
}

// describe returns the text, or the fallback when it is empty: every
// element of a course structure needs a description.
func describe(text, fallback string) string {
	if t := strings.Join(strings.Fields(text), " "); t != "" {
		return t
	}
	return fallback
}

func indent(depth int) string { return strings.Repeat("  ", depth) }
