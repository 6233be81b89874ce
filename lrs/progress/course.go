package progress

import (
	"html"
	"regexp"
	"strings"

	"github.com/coursekit/coursekit/pkg/course"
)

// FromCourse returns the structure the LRS keeps of a loaded course: its
// lessons in outline order with their section titles, and every question,
// reflection and essay with a plain-text prompt and the texts of its
// choices. An essay's prompt is its title, then its prompt text.
func FromCourse(c *course.Course) Course {
	out := Course{ID: c.ID, Title: c.Title, Version: c.Version, Lessons: []Lesson{}, Questions: []Question{}}
	if c.HasMastery {
		m := c.MasteryScore
		out.MasteryScore = &m
	}
	for _, l := range c.Lessons {
		lesson := Lesson{ID: l.ID, ActivityID: c.ActivityID(course.LessonActivities, l.ID), Title: l.Title}
		if l.Section != nil {
			lesson.Section = l.Section.Title
		}
		out.Lessons = append(out.Lessons, lesson)
		for _, b := range l.Body {
			q := Question{LessonID: l.ID}
			switch b := b.(type) {
			case *course.Question:
				q.ID, q.Kind, q.Prompt = b.ID, string(b.Type), plainText(b.Prompt)
				for _, list := range [][]course.Choice{b.Choices, b.Sources, b.Targets} {
					for _, ch := range list {
						q.Choices = append(q.Choices, Choice{ID: ch.ID, Text: plainText(ch.Text)})
					}
				}
			case *course.Reflection:
				q.ID, q.Kind, q.Prompt = b.ID, KindReflection, plainText(b.Prompt)
			case *course.Essay:
				q.ID, q.Kind, q.Prompt = b.ID, KindEssay, plainText(b.Prompt)
				if t := plainText(b.Title); t != "" {
					q.Prompt = strings.TrimSpace(t + "\n" + q.Prompt)
				}
			default:
				continue
			}
			q.ActivityID = c.ActivityID(course.InteractionActivities, q.ID)
			out.Questions = append(out.Questions, q)
		}
	}
	return out
}

var (
	tags   = regexp.MustCompile(`<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// plainText is rendered HTML without its tags and entities, with runs of
// white space made one space, as the player's plainText does.
func plainText(s string) string {
	s = html.UnescapeString(tags.ReplaceAllString(s, " "))
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}
