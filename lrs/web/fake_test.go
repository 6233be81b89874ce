package web_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
)

// fakeReader answers the reports from rows the test sets, filtering and
// sorting the learners as the contract says, and remembers every filter
// it was given.
type fakeReader struct {
	courses   []progress.CourseSummary
	details   map[string]progress.CourseDetail
	learners  map[string][]progress.LearnerRow
	learner   map[string]progress.LearnerDetail
	questions map[string][]progress.QuestionRow
	responses map[string][]progress.ResponseRow

	mu      sync.Mutex
	filters []progress.Filter
}

func (f *fakeReader) seen(flt progress.Filter) {
	f.mu.Lock()
	f.filters = append(f.filters, flt)
	f.mu.Unlock()
}

// filtersSeen returns the filters received so far and forgets them.
func (f *fakeReader) filtersSeen() []progress.Filter {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.filters
	f.filters = nil
	return out
}

func (f *fakeReader) Courses(_ context.Context, flt progress.Filter) ([]progress.CourseSummary, error) {
	f.seen(flt)
	return f.courses, nil
}

func (f *fakeReader) Course(_ context.Context, flt progress.Filter) (progress.CourseDetail, error) {
	f.seen(flt)
	d, ok := f.details[flt.Course]
	if !ok {
		return d, progress.ErrUnknownCourse
	}
	return d, nil
}

func (f *fakeReader) Learners(_ context.Context, flt progress.Filter) ([]progress.LearnerRow, int, error) {
	f.seen(flt)
	all, ok := f.learners[flt.Course]
	if !ok {
		if _, known := f.details[flt.Course]; !known {
			return nil, 0, progress.ErrUnknownCourse
		}
	}
	rows := all
	if flt.Status != "" || flt.Search != "" {
		rows = nil
		for _, r := range all {
			if flt.Status != "" && r.Status != flt.Status {
				continue
			}
			s := strings.ToLower(flt.Search)
			if s != "" && !strings.Contains(strings.ToLower(r.Name), s) && !strings.Contains(strings.ToLower(r.Learner), s) {
				continue
			}
			rows = append(rows, r)
		}
	}
	// The rows are kept sorted by name, so the default order costs nothing
	// (the benchmarks measure the page, not this fake).
	if key := strings.TrimPrefix(flt.Sort, "-"); key != "" && key != "name" || strings.HasPrefix(flt.Sort, "-") {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, func(a, b progress.LearnerRow) int {
			c := 0
			switch key {
			case "status":
				c = cmp.Compare(a.Status, b.Status)
			case "progress":
				c = cmp.Compare(a.Progress, b.Progress)
			case "score":
				c = cmp.Compare(deref(a.Score), deref(b.Score))
			case "time":
				c = cmp.Compare(a.TimeSpent, b.TimeSpent)
			case "last":
				c = a.LastSeen.Compare(b.LastSeen)
			default:
				c = cmp.Compare(a.Name, b.Name)
			}
			if strings.HasPrefix(flt.Sort, "-") {
				return -c
			}
			return c
		})
	}
	total := len(rows)
	from := min(flt.Offset, total)
	to := total
	if flt.Limit > 0 {
		to = min(from+flt.Limit, total)
	}
	return rows[from:to], total, nil
}

func deref(f *float64) float64 {
	if f == nil {
		return -1
	}
	return *f
}

func (f *fakeReader) Learner(_ context.Context, flt progress.Filter) (progress.LearnerDetail, error) {
	f.seen(flt)
	d, ok := f.learner[flt.Learner]
	if !ok {
		return progress.LearnerDetail{Learner: flt.Learner}, nil
	}
	return d, nil
}

func (f *fakeReader) Questions(_ context.Context, flt progress.Filter) ([]progress.QuestionRow, error) {
	f.seen(flt)
	return f.questions[flt.Course], nil
}

func (f *fakeReader) Responses(_ context.Context, flt progress.Filter) ([]progress.ResponseRow, error) {
	f.seen(flt)
	return f.responses[flt.Course], nil
}

var _ progress.Reader = (*fakeReader)(nil)

// fixture is a course with every kind of row, its texts made from text
// (plain words, or hostile markup for the security test), and n learners.
func fixture(text string, n int) *fakeReader {
	const id = "https://example.org/courses/peer-support"
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	half, most := 0.5, 0.85
	lessons := []progress.LessonCount{{LessonID: "intro", Title: "Introduction " + text, Learners: n},
		{LessonID: "listening", Title: "Listening " + text, Learners: n * 3 / 4}, {LessonID: "risk", Title: "Risk", Learners: n / 2}}
	sum := progress.CourseSummary{ID: id, Title: "Peer Support " + text, Lessons: 3, Started: n, Completed: n / 2,
		Passed: n / 3, Failed: n / 10, CompletionRate: 0.5, MedianScore: &most, MedianTime: 42 * time.Minute}
	f := &fakeReader{
		courses:   []progress.CourseSummary{sum},
		details:   map[string]progress.CourseDetail{id: {Summary: sum, Funnel: lessons, Scores: [10]int{0, 1, 2, 3, 5, 8, 13, 21, 34, 55}}},
		learners:  map[string][]progress.LearnerRow{},
		learner:   map[string]progress.LearnerDetail{},
		questions: map[string][]progress.QuestionRow{},
		responses: map[string][]progress.ResponseRow{},
	}
	statuses := []progress.Status{progress.InProgress, progress.Completed, progress.Passed, progress.Failed}
	rows := make([]progress.LearnerRow, n)
	for i := range rows {
		rows[i] = progress.LearnerRow{
			Learner: fmt.Sprintf("mbox:mailto:learner%05d@example.org", i), Name: fmt.Sprintf("Learner %05d %s", i, text),
			Status: statuses[i%len(statuses)], Progress: float64(i%4) / 3, Score: &half, LatestScore: &half,
			Attempts: i % 3, Registrations: 1, TimeSpent: time.Duration(i%90) * time.Minute,
			FirstSeen: t0, LastSeen: t0.Add(time.Duration(i) * time.Minute),
		}
	}
	f.learners[id] = rows
	if n > 0 {
		first := rows[0]
		f.learner[first.Learner] = progress.LearnerDetail{Learner: first.Learner, Name: first.Name,
			Courses: []progress.LearnerCourse{{CourseID: id, Title: sum.Title, Row: first, Lessons: []progress.LessonViewed{
				{LessonID: "intro", Title: lessons[0].Title, Viewed: true, At: t0}, {LessonID: "risk", Title: "Risk"}}}},
			Timeline: []progress.Event{{StatementID: "9a1f6c2e-0000-4000-8000-000000000001", Time: t0, Verb: "http://adlnet.gov/expapi/verbs/answered",
				VerbDisplay: "answered " + text, Activity: id + "/interactions/q1", Title: "Question " + text, CourseID: id,
				Score: &half, Response: "my answer " + text, Duration: 90 * time.Second}}}
	}
	f.questions[id] = []progress.QuestionRow{{ID: "q1", LessonID: "risk", Kind: "single-choice", Prompt: "Which is safe? " + text,
		Attempts: 10, Learners: 8, Correct: 6, CorrectRate: 0.6, WrongAnswers: []progress.AnswerCount{{Response: "wrong " + text, Count: 3}}}}
	f.responses[id] = []progress.ResponseRow{{StatementID: "9a1f6c2e-0000-4000-8000-000000000002", Learner: "account:https://lms.example.org|" + text,
		Name: "Writer " + text, QuestionID: "r1", Kind: progress.KindReflection, Prompt: "What did you learn? " + text,
		Text: "I learned\n" + text, Time: t0}}
	return f
}
