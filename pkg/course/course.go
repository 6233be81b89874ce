// Package course is the model of a coursekit course and its loader: it reads a
// course folder (course.yaml, Markdown lessons, media), validates it, and
// reports every problem with its file, line and column.
//
// The model knows nothing of packaging formats or xAPI; packagers and the LRS
// read it.
package course

import (
	"regexp"
	"strings"
	"time"
)

// Course is a loaded, valid course.
type Course struct {
	// Dir is the course folder as given to Load.
	Dir string
	// ID is the course's IRI, stable across builds and versions.
	ID          string
	Title       string
	Description string
	// Language is a BCP 47 tag.
	Language string
	Version  string
	Authors  []Author
	Licence  string
	// MasteryScore is the fraction (0 to 1) of the knowledge-check score a
	// learner needs to pass. Zero with HasMastery false means none is set.
	MasteryScore float64
	HasMastery   bool
	Completion   Completion
	Sections     []*Section
	// Lessons are every lesson in outline order.
	Lessons   []*Lesson
	Resources []Link
	// Files are every local file the course refers to (media, exercise files,
	// resources), as slash-separated paths relative to Dir, sorted and unique.
	Files []string
}

// Author is a person or team credited for the course.
type Author struct {
	Name  string
	Email string
	URL   string
}

// CompletionRule says when a learner has completed the course.
type CompletionRule string

// The completion rules a course.yaml may name.
const (
	CompletedWhenViewed          CompletionRule = "viewed"
	CompletedWhenPassed          CompletionRule = "passed"
	CompletedWhenViewedAndPassed CompletionRule = "viewed-and-passed"
	CompletedByProgress          CompletionRule = "progress"
)

// Completion is the course's completion rule; Threshold (0 to 1) is the
// fraction of lessons to view when Rule is CompletedByProgress.
type Completion struct {
	Rule      CompletionRule
	Threshold float64
}

// NeedsPass reports whether completing the course requires the mastery score.
func (c Completion) NeedsPass() bool {
	return c.Rule == CompletedWhenPassed || c.Rule == CompletedWhenViewedAndPassed
}

// Section is an ordered group of lessons (a session block, a module).
type Section struct {
	ID          string
	Title       string
	Description string
	Lessons     []*Lesson
}

// Lesson is one Markdown lesson file.
type Lesson struct {
	ID         string
	Title      string
	Objectives []string
	// Duration is the author's estimate; zero when not given.
	Duration time.Duration
	// File is the lesson's path relative to the course folder, slash-separated.
	File          string
	Section       *Section
	ExerciseFiles []Link
	// Body is the lesson content in order: rendered HTML interleaved with
	// interactive blocks.
	Body []Block
	// Headings are the anchors of the lesson's headings, in order.
	Headings []string
}

// Questions returns the lesson's knowledge-check questions in order.
func (l *Lesson) Questions() []*Question {
	var qs []*Question
	for _, b := range l.Body {
		if q, ok := b.(*Question); ok {
			qs = append(qs, q)
		}
	}
	return qs
}

// Link is a titled reference to a local file or an external URL.
type Link struct {
	Title string
	// Href is a slash-separated path relative to the course folder for a
	// local file, or the URL as written for an external link.
	Href     string
	External bool
}

// Block is one piece of a lesson body: *HTML, *Question, *Reflection or *Essay.
type Block interface{ block() }

// HTML is rendered lesson content. Links inside it follow the player's
// conventions: local files are course-relative paths ("media/a.png"), other
// lessons are "#/LESSON" or "#/LESSON/ANCHOR", external links open in a new tab.
type HTML string

// Reflection is a free-text prompt whose answer is recorded, never scored.
type Reflection struct {
	ID string
	// Prompt is rendered HTML.
	Prompt string
}

// Essay is a long free-text assignment submitted for review.
type Essay struct {
	ID    string
	Title string
	// Prompt is rendered HTML.
	Prompt string
	// Words is the guide length; zero when not given.
	Words int
}

func (HTML) block()        {}
func (*Question) block()   {}
func (*Reflection) block() {}
func (*Essay) block()      {}

// Questions returns every question of the course in outline order.
func (c *Course) Questions() []*Question {
	var qs []*Question
	for _, l := range c.Lessons {
		qs = append(qs, l.Questions()...)
	}
	return qs
}

// Lesson returns the lesson with the given id, or nil.
func (c *Course) Lesson(id string) *Lesson {
	for _, l := range c.Lessons {
		if l.ID == id {
			return l
		}
	}
	return nil
}

var nonNameChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// Slug is the last path segment of a course IRI reduced to characters safe
// in identifiers and file names: "https://example.org/courses/peer-support"
// gives "peer-support".
func Slug(courseID string) string {
	s := strings.TrimRight(courseID, "/")
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Trim(nonNameChars.ReplaceAllString(s, "-"), "-")
	if s == "" {
		return "course"
	}
	return s
}
