package course

import "strings"

// The kinds of course part that have an activity IRI of their own.
const (
	SectionActivities     = "sections"
	LessonActivities      = "lessons"
	InteractionActivities = "interactions"
)

// ActivityID is the IRI of a part of the course: the course ID followed by
// /KIND/ID, with KIND one of SectionActivities, LessonActivities or
// InteractionActivities (questions, reflections and essays, whose ids share
// one namespace). Every package format uses these IRIs in its xAPI
// statements and course structures, so that what learners did reads the
// same whether the course ran as SCORM with LRS reporting, cmi5 or xAPI.
// Ids are NCNames, so the result is an IRI whenever the course ID is one.
func (c *Course) ActivityID(kind, id string) string {
	return strings.TrimRight(c.ID, "/") + "/" + kind + "/" + id
}
