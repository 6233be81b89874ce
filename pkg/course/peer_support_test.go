package course_test

import (
	"slices"
	"testing"

	"github.com/coursekit/coursekit/pkg/course"
)

const peerSupport = "../../content/peer-support-training"

// TestPeerSupportTraining checks the sample course against what the
// foundation issue promises: eleven sessions plus resources, the two full
// lessons, and the knowledge checks, reflection and essay.
func TestPeerSupportTraining(t *testing.T) {
	c, err := course.Load(peerSupport)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(c.Sections) != 2 || len(c.Sections[0].Lessons) != 11 || len(c.Sections[1].Lessons) != 1 {
		t.Fatalf("outline = %d sections; want 11 sessions and 1 resources lesson", len(c.Sections))
	}
	reviews := 0
	for _, l := range c.Sections[0].Lessons {
		if len(l.Body) == 0 || len(l.Objectives) == 0 || l.Duration == 0 {
			t.Errorf("session %s has no aim text, objectives or duration", l.ID)
		}
		if slices.Contains([]string{"review-and-evaluation-1", "review-and-evaluation-2"}, l.ID) {
			reviews++
		}
	}
	if reviews != 2 {
		t.Errorf("found %d Review and Evaluation sessions, want 2", reviews)
	}
	if c.Sections[1].Lessons[0].ID != "useful-resources" {
		t.Errorf("resources lesson = %s, want useful-resources", c.Sections[1].Lessons[0].ID)
	}

	// The two full lessons carry the seed pages' sections.
	full := map[string][]string{
		"positive-risk-taking":   {"working-with-risk-in-peer-support-relationships", "risks-and-ethics"},
		"using-your-experiences": {"role-modelling-and-hope", "how-and-when-to-use-your-own-experiences"},
	}
	for id, headings := range full {
		l := c.Lesson(id)
		if l == nil {
			t.Fatalf("lesson %s is missing", id)
		}
		for _, h := range headings {
			if !slices.Contains(l.Headings, h) {
				t.Errorf("lesson %s has no heading #%s (has %v)", id, h, l.Headings)
			}
		}
	}

	var questions, reflections, essays int
	types := map[course.QuestionType]int{}
	for _, l := range c.Lessons {
		for _, b := range l.Body {
			switch b := b.(type) {
			case *course.Question:
				questions++
				types[b.Type]++
			case *course.Reflection:
				reflections++
			case *course.Essay:
				essays++
			}
		}
	}
	if questions < 8 || reflections != 1 || essays != 1 {
		t.Errorf("got %d questions, %d reflections, %d essays; want at least 8, 1, 1", questions, reflections, essays)
	}
	if len(types) < 4 {
		t.Errorf("questions use %d types (%v), want a variety of at least 4", len(types), types)
	}
	if c.Lesson("review-and-evaluation-1").Body == nil {
		t.Fatal("review-and-evaluation-1 is empty")
	}
	hasEssay := slices.ContainsFunc(c.Lesson("review-and-evaluation-1").Body, func(b course.Block) bool {
		_, ok := b.(*course.Essay)
		return ok
	})
	if !hasEssay {
		t.Error("the written assignment essay is not in the first Review and Evaluation session")
	}
	if len(c.Files) != 0 {
		t.Errorf("course carries files %v; the seed pages have no attachments", c.Files)
	}
}

// BenchmarkLoadPeerSupport measures loading and validating the sample course
// (target: well under 10 ms).
func BenchmarkLoadPeerSupport(b *testing.B) {
	for b.Loop() {
		if _, err := course.Load(peerSupport); err != nil {
			b.Fatal(err)
		}
	}
}
