package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
)

// BenchmarkPages measures each page's handler, session check included,
// over a fake reader of realistic size: 10,000 learners in the course,
// 10,000 responses, a learner with 200 events, pages of 50. The reader
// costs nothing here, so this is the dashboard's own share of a page; the
// store's share is in the progress store's benchmarks.
func BenchmarkPages(b *testing.B) {
	f := fixture("", 10000)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	first := f.learner["mbox:mailto:learner00000@example.org"]
	for i := range 200 {
		first.Timeline = append(first.Timeline, progress.Event{StatementID: fmt.Sprintf("9a1f6c2e-0000-4000-8000-%012d", i),
			Time: t0.Add(time.Duration(i) * time.Minute), Verb: "http://adlnet.gov/expapi/verbs/experienced", VerbDisplay: "experienced",
			Activity: courseID + "/lessons/intro", Title: "Introduction", CourseID: courseID})
	}
	f.learner["mbox:mailto:learner00000@example.org"] = first
	for i := range 10000 {
		f.responses[courseID] = append(f.responses[courseID], progress.ResponseRow{StatementID: fmt.Sprintf("9a1f6c2e-0000-4000-9000-%012d", i),
			Learner: fmt.Sprintf("mbox:mailto:learner%05d@example.org", i), QuestionID: "r1", Kind: progress.KindReflection,
			Prompt: "What did you learn?", Text: "A paragraph of reflection about listening and positive risk taking.", Time: t0})
	}
	for i := range 20 {
		f.questions[courseID] = append(f.questions[courseID], progress.QuestionRow{ID: fmt.Sprintf("q%d", i), LessonID: "risk",
			Kind: "single-choice", Prompt: "Which answer is right?", Attempts: 9000, Learners: 8000, Correct: 6000, CorrectRate: 2.0 / 3,
			WrongAnswers: []progress.AnswerCount{{Response: "b", Count: 2000}, {Response: "c", Count: 1000}}})
	}
	h := newHarness(b, f)
	wk, ws := h.credential(b, "package", "statements/write")
	var sts []string
	for i := range 60 {
		sts = append(sts, fmt.Sprintf(`{"actor":{"name":"Learner %d","mbox":"mailto:learner%05d@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"answered"}},`+
			`"object":{"id":"%s/interactions/q1","definition":{"name":{"en-US":"Question one"}}},"result":{"success":true,"response":"b"}}`, i, i, courseID))
	}
	ids := h.storeStatements(b, wk, ws, sts...)
	c, _ := h.loggedIn(b, "all")
	e := url.QueryEscape
	for _, p := range []struct{ name, url string }{
		{"courses", "/"},
		{"course", "/course?id=" + e(courseID)},
		{"learners", "/learners?course=" + e(courseID)},
		{"learners-page-100", "/learners?course=" + e(courseID) + "&page=100"},
		{"learner", "/learner?id=" + e("mbox:mailto:learner00000@example.org")},
		{"questions", "/questions?course=" + e(courseID)},
		{"responses", "/responses?course=" + e(courseID) + "&page=100"},
		{"statements", "/statements"},
		{"statement", "/statement?id=" + ids[0]},
		{"credentials", "/credentials"},
		{"learners-csv-10000", "/learners.csv?course=" + e(courseID)},
	} {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p.url, nil)
			for _, ck := range c.cookies {
				req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.d.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", p.url, rec.Code)
				}
			}
		})
	}
}
