// Package progress turns statements into what training managers ask about:
// each learner's progress through each registered course, the answers to
// its questions and the texts of its reflections and essays.
//
// The LRS learns a course's structure from the course registry (Course,
// see FromCourse). Statements are matched to a course by activity id
// prefix: an activity id equal to the course id or starting with the
// course id and "/" (the ids pkg/course.ActivityID gives, which every
// package format reports) belongs to the course. A statement belongs to a
// course when its object or one of its context activities does.
//
// Progress is kept up to date by a Worker that follows the store's
// statement sequence, so that reports never scan statements; voided
// statements are taken back out, and Rebuild recomputes everything from
// the stored statements.
package progress

import (
	"context"
	"errors"
	"time"
)

// Course is a course's structure as the LRS knows it.
type Course struct {
	// ID is the id in course.yaml, an IRI.
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version,omitempty"`
	// MasteryScore is the scaled score (0..1) that passes; nil when the
	// course has none.
	MasteryScore *float64 `json:"masteryScore,omitempty"`
	// Lessons are in outline order.
	Lessons []Lesson `json:"lessons"`
	// Questions are every question, reflection and essay, in outline order.
	Questions []Question `json:"questions"`
}

// Lesson is one lesson of a course.
type Lesson struct {
	ID string `json:"id"`
	// ActivityID is the lesson's activity IRI (course.ActivityID).
	ActivityID string `json:"activityId"`
	Title      string `json:"title"`
	// Section is the title of the lesson's section; empty when none.
	Section string `json:"section,omitempty"`
}

// Kinds of Question beside the pkg/course question types
// ("single-choice", "multiple-choice", "true-false", "fill-in", "numeric",
// "matching", "sequencing").
const (
	KindReflection = "reflection"
	KindEssay      = "essay"
)

// Question is a question, reflection or essay of a course.
type Question struct {
	ID         string `json:"id"`
	ActivityID string `json:"activityId"`
	LessonID   string `json:"lessonId"`
	// Kind is the pkg/course question type, KindReflection or KindEssay.
	Kind string `json:"kind"`
	// Prompt is plain text (the course's HTML with its tags removed).
	Prompt string `json:"prompt"`
	// Choices name the ids a response is made of, for choice, matching and
	// sequencing questions (sources and targets for matching), so that a
	// report can show "b" as its text.
	Choices []Choice `json:"choices,omitempty"`
}

// Choice is one answer option.
type Choice struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Status is where a learner stands in a course.
type Status string

// The statuses, in the order a learner moves through them; Passed and
// Failed come from the course's assessment, Completed from its completion.
const (
	NotStarted Status = "not started"
	InProgress Status = "in progress"
	Completed  Status = "completed"
	Passed     Status = "passed"
	Failed     Status = "failed"
)

// ErrUnknownCourse is returned for a course id the registry does not hold.
var ErrUnknownCourse = errors.New("unknown course")

// Filter selects the records a report covers. Empty fields do not filter.
type Filter struct {
	// Course is a course id; Learners, Questions and Responses need one.
	Course string
	// Since (inclusive) and Until (exclusive) bound the time of what is
	// counted: a learner's last activity for course and learner reports,
	// the time of an answer for questions and responses.
	Since, Until time.Time
	// Group is the name or IFI of a Group learners belong to (the
	// statements' context.team), as kept on their progress.
	Group string
	// Learner is one learner's IFI (xapi.Agent.IFI).
	Learner string
	// Authority restricts the records to statements a credential stored
	// (lrs.Statement.AuthorityIFI): a credential with only
	// statements/read/mine sees its own records.
	Authority string
	// Status, Search (a substring of a learner's name or IFI, any case),
	// Sort, Limit and Offset shape the learners report. Sort is one of
	// "name", "status", "progress", "score", "time", "last", with a "-"
	// prefix for descending; empty sorts by name.
	Status        Status
	Search        string
	Sort          string
	Limit, Offset int
}

// CourseSummary is one row of the courses report.
type CourseSummary struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Lessons int    `json:"lessons"`
	// Started counts learners with any activity in the course; Completed
	// those who completed or passed it; Passed and Failed those whose
	// latest assessment outcome is that.
	Started   int `json:"started"`
	Completed int `json:"completed"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	// CompletionRate is Completed / Started, 0 when nobody started.
	CompletionRate float64 `json:"completionRate"`
	// MedianScore is the median of learners' best scaled scores; nil when
	// nobody has a score.
	MedianScore *float64 `json:"medianScore,omitempty"`
	// MedianTime is the median of learners' time spent.
	MedianTime time.Duration `json:"medianTimeNs"`
}

// CourseDetail is a course's summary with the figures the dashboard draws.
type CourseDetail struct {
	Summary CourseSummary `json:"summary"`
	// Funnel has one entry per lesson in outline order: how many learners
	// viewed it, so that the drop-off shows.
	Funnel []LessonCount `json:"funnel"`
	// Scores counts learners' best scaled scores in ten buckets: [0, 0.1),
	// [0.1, 0.2), ... [0.9, 1.0].
	Scores [10]int `json:"scores"`
}

// LessonCount is how many learners viewed a lesson.
type LessonCount struct {
	LessonID string `json:"lessonId"`
	Title    string `json:"title"`
	Learners int    `json:"learners"`
}

// LearnerRow is one learner's progress in one course, over all their
// registrations.
type LearnerRow struct {
	Learner string `json:"learner"`
	Name    string `json:"name,omitempty"`
	Status  Status `json:"status"`
	// Progress is the share of the course's lessons viewed, 0..1.
	Progress float64 `json:"progress"`
	// Score is the best scaled score, LatestScore the latest; nil when none.
	Score       *float64 `json:"score,omitempty"`
	LatestScore *float64 `json:"latestScore,omitempty"`
	// Attempts counts assessment outcomes (passed or failed statements).
	Attempts      int           `json:"attempts"`
	Registrations int           `json:"registrations"`
	TimeSpent     time.Duration `json:"timeSpentNs"`
	FirstSeen     time.Time     `json:"firstSeen"`
	LastSeen      time.Time     `json:"lastSeen"`
}

// LearnerCourse is one learner's progress in one course, lesson by lesson.
type LearnerCourse struct {
	CourseID string         `json:"courseId"`
	Title    string         `json:"title"`
	Row      LearnerRow     `json:"progress"`
	Lessons  []LessonViewed `json:"lessons"`
}

// LessonViewed is whether, and when first, a learner viewed a lesson.
type LessonViewed struct {
	LessonID string    `json:"lessonId"`
	Title    string    `json:"title"`
	Viewed   bool      `json:"viewed"`
	At       time.Time `json:"at,omitzero"`
}

// LearnerDetail is what one learner did: progress per course and a
// timeline, newest first.
type LearnerDetail struct {
	Learner  string          `json:"learner"`
	Name     string          `json:"name,omitempty"`
	Courses  []LearnerCourse `json:"courses"`
	Timeline []Event         `json:"timeline"`
}

// Event is one statement in a learner's timeline.
type Event struct {
	StatementID string `json:"statementId"`
	// Time is the statement's timestamp (its stored time when it has none).
	Time         time.Time     `json:"time"`
	Verb         string        `json:"verb"`
	VerbDisplay  string        `json:"verbDisplay"`
	Activity     string        `json:"activity"`
	Title        string        `json:"title,omitempty"`
	CourseID     string        `json:"courseId,omitempty"`
	Registration string        `json:"registration,omitempty"`
	Score        *float64      `json:"score,omitempty"`
	Success      *bool         `json:"success,omitempty"`
	Completion   *bool         `json:"completion,omitempty"`
	Response     string        `json:"response,omitempty"`
	Duration     time.Duration `json:"durationNs,omitempty"`
}

// QuestionRow is one row of the questions report.
type QuestionRow struct {
	ID       string `json:"id"`
	LessonID string `json:"lessonId"`
	Kind     string `json:"kind"`
	Prompt   string `json:"prompt"`
	// Attempts counts answers, Learners the learners who answered, Correct
	// the answers whose result was a success.
	Attempts int `json:"attempts"`
	Learners int `json:"learners"`
	Correct  int `json:"correct"`
	// CorrectRate is Correct / Attempts, 0 without attempts.
	CorrectRate float64 `json:"correctRate"`
	// WrongAnswers are the most common wrong responses, most common first,
	// at most five, with choice ids shown as their texts.
	WrongAnswers []AnswerCount `json:"wrongAnswers,omitempty"`
}

// AnswerCount is how often a response was given.
type AnswerCount struct {
	Response string `json:"response"`
	Count    int    `json:"count"`
}

// ResponseRow is a reflection or essay text, for review.
type ResponseRow struct {
	StatementID string    `json:"statementId"`
	Learner     string    `json:"learner"`
	Name        string    `json:"name,omitempty"`
	QuestionID  string    `json:"questionId"`
	Kind        string    `json:"kind"`
	Prompt      string    `json:"prompt"`
	Text        string    `json:"text"`
	Time        time.Time `json:"time"`
}

// Reader answers the reports. The store implements it from the progress
// it keeps; the CLI's remote mode implements it over coursekit serve's
// /api/reports/ endpoints.
type Reader interface {
	Courses(ctx context.Context, f Filter) ([]CourseSummary, error)
	// Course returns ErrUnknownCourse for a course not registered.
	Course(ctx context.Context, f Filter) (CourseDetail, error)
	// Learners returns one page of learners (f.Limit, f.Offset) and how
	// many match in all.
	Learners(ctx context.Context, f Filter) ([]LearnerRow, int, error)
	// Learner returns what one learner did; f.Learner names them.
	Learner(ctx context.Context, f Filter) (LearnerDetail, error)
	Questions(ctx context.Context, f Filter) ([]QuestionRow, error)
	Responses(ctx context.Context, f Filter) ([]ResponseRow, error)
}

// Registry keeps the courses the LRS knows.
type Registry interface {
	// PutCourse adds the course or replaces the one with its id.
	PutCourse(ctx context.Context, c Course) error
	RegisteredCourses(ctx context.Context) ([]Course, error)
}
