// Package tincan writes tincan.xml, the manifest of an xAPI ("Tin Can")
// package: the course activity, which the LMS or launcher opens with the
// conventional endpoint, auth, actor and registration query parameters,
// and the activities inside it (lessons, questions, reflections and
// essays) with the same IRIs the player's statements use.
package tincan

import (
	"bytes"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"strings"
	"text/template"

	"github.com/coursekit/coursekit/pkg/course"
)

// FileName is the manifest's name; it must be at the zip root.
const FileName = "tincan.xml"

// Namespace is tincan.xml's XML namespace.
const Namespace = "http://projecttincan.com/tincan.xsd"

// Activity types, from the ADL vocabulary.
const (
	CourseType      = "http://adlnet.gov/expapi/activities/course"
	LessonType      = "http://adlnet.gov/expapi/activities/lesson"
	InteractionType = "http://adlnet.gov/expapi/activities/cmi.interaction"
)

//go:embed tincan.xml
var templates embed.FS

var manifestTemplate = template.Must(template.New(FileName).Funcs(template.FuncMap{"x": escape}).ParseFS(templates, FileName))

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

type manifest struct {
	Language   string
	Activities []activity
}

type activity struct {
	ID, Type, Name, Description, Launch string
	InteractionType                     string
}

// interactionTypes are the xAPI interaction types of the course's blocks.
var interactionTypes = map[course.QuestionType]string{
	course.SingleChoice:   "choice",
	course.MultipleChoice: "choice",
	course.TrueFalse:      "true-false",
	course.FillIn:         "fill-in",
	course.Numeric:        "numeric",
	course.Matching:       "matching",
	course.Sequencing:     "sequencing",
}

// Manifest returns tincan.xml for c; launch is the player's launch page,
// relative to the package root.
func Manifest(c *course.Course, launch string) ([]byte, error) {
	if launch == "" {
		return nil, errors.New("tincan manifest: no launch page")
	}
	m := manifest{Language: c.Language}
	m.Activities = append(m.Activities, activity{ID: c.ID, Type: CourseType, Name: c.Title,
		Description: oneLine(c.Description), Launch: launch})
	for _, l := range c.Lessons {
		m.Activities = append(m.Activities, activity{ID: c.ActivityID(course.LessonActivities, l.ID), Type: LessonType,
			Name: l.Title, Description: oneLine(strings.Join(l.Objectives, " "))})
		for _, b := range l.Body {
			a := activity{Type: InteractionType}
			switch b := b.(type) {
			case *course.Question:
				a.ID, a.Name, a.InteractionType = b.ID, plain(b.Prompt), interactionTypes[b.Type]
			case *course.Reflection:
				a.ID, a.Name, a.InteractionType = b.ID, plain(b.Prompt), "long-fill-in"
			case *course.Essay:
				a.ID, a.Name, a.Description, a.InteractionType = b.ID, b.Title, plain(b.Prompt), "long-fill-in"
			default:
				continue
			}
			a.ID = c.ActivityID(course.InteractionActivities, a.ID)
			m.Activities = append(m.Activities, a)
		}
	}
	var b bytes.Buffer
	if err := manifestTemplate.Execute(&b, m); err != nil {
		return nil, fmt.Errorf("write tincan manifest: %w", err)
	}
	return b.Bytes(), nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// plain returns the text of rendered HTML: tags dropped, block ends
// turned into spaces, entities decoded (the template escapes again).
func plain(s string) string {
	s = blockEnds.Replace(s)
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return oneLine(html.UnescapeString(b.String()))
}

var blockEnds = strings.NewReplacer("</p>", " ", "<br>", " ", "<br/>", " ", "<br />", " ", "</li>", " ", "</blockquote>", " ")
