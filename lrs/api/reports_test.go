package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// reportsFake answers every report with one row whose texts an attacker
// chose, and keeps the filter it was asked with.
type reportsFake struct{ last progress.Filter }

const reportsCourse = "https://courses.coursekit.example/peer-support-training"

const hostileName = `<script>alert("x")</script>`

func (f *reportsFake) Courses(_ context.Context, flt progress.Filter) ([]progress.CourseSummary, error) {
	f.last = flt
	return []progress.CourseSummary{{ID: reportsCourse, Title: hostileName, Lessons: 12, Started: 3}}, nil
}

func (f *reportsFake) Course(_ context.Context, flt progress.Filter) (progress.CourseDetail, error) {
	f.last = flt
	if flt.Course != reportsCourse {
		return progress.CourseDetail{}, progress.ErrUnknownCourse
	}
	return progress.CourseDetail{Summary: progress.CourseSummary{ID: reportsCourse}}, nil
}

func (f *reportsFake) Learners(_ context.Context, flt progress.Filter) ([]progress.LearnerRow, int, error) {
	f.last = flt
	if flt.Course != reportsCourse {
		return nil, 0, progress.ErrUnknownCourse
	}
	return []progress.LearnerRow{{Learner: "mbox:mailto:a@example.org", Name: hostileName, Status: progress.Passed, TimeSpent: time.Minute}}, 7, nil
}

func (f *reportsFake) Learner(_ context.Context, flt progress.Filter) (progress.LearnerDetail, error) {
	f.last = flt
	return progress.LearnerDetail{Learner: flt.Learner}, nil
}

func (f *reportsFake) Questions(_ context.Context, flt progress.Filter) ([]progress.QuestionRow, error) {
	f.last = flt
	return nil, nil
}

func (f *reportsFake) Responses(_ context.Context, flt progress.Filter) ([]progress.ResponseRow, error) {
	f.last = flt
	return []progress.ResponseRow{{Learner: "mbox:mailto:a@example.org", Text: hostileName + " javascript:alert(1)"}}, nil
}

func TestReports(t *testing.T) {
	fake := &reportsFake{}
	l := newTestLRS(t, api.Config{Reports: fake, AllowAnonymousRead: true})
	mine := l.credential(t, "statements/read/mine")
	allRead := l.credential(t, "all/read")
	key, secret, _ := strings.Cut(mine, ":")
	cred, err := l.Credentials.Authenticate(context.Background(), key, secret)
	if err != nil {
		t.Fatal(err)
	}
	authority, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
	if err != nil {
		t.Fatal(err)
	}
	c := "course=" + reportsCourse
	tests := []struct {
		name, target, cred string
		wantCode           int
		wantBody           string // a substring
		wantFilter         *progress.Filter
	}{
		{"no credential", "/api/reports/courses", "", 401, `"error"`, nil},
		{"wrong secret", "/api/reports/courses", key + ":nope", 401, `"error"`, nil},
		{"write only", "/api/reports/courses", l.write, 403, `"property":"scope"`, nil},
		{"reader", "/api/reports/courses", l.reader, 200, `{"courses":[{"id":"` + reportsCourse, &progress.Filter{}},
		{"all/read", "/api/reports/courses", allRead, 200, `"courses"`, &progress.Filter{}},
		{"admin", "/api/reports/courses?group=Cohort+A", l.Admin, 200, `"courses"`, &progress.Filter{Group: "Cohort A"}},
		{"read mine", "/api/reports/learners?" + c, mine, 200, `"total":7`, &progress.Filter{Course: reportsCourse, Authority: authority.IFI()}},
		{"learners filter", "/api/reports/learners?" + c + "&status=in+progress&search=ann&sort=-score&limit=10&offset=20&since=2026-11-01&until=2026-11-30T12:00:00Z&group=account:https://lms.example.org|cohort-a",
			l.reader, 200, `"learners":[`, &progress.Filter{Course: reportsCourse, Status: progress.InProgress, Search: "ann", Sort: "-score", Limit: 10, Offset: 20,
				Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), Group: "account:https://lms.example.org|cohort-a"}},
		{"date until is the end of the day", "/api/reports/questions?" + c + "&until=2026-11-30", l.reader, 200, `{"questions":[]}`,
			&progress.Filter{Course: reportsCourse, Until: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}},
		{"learner", "/api/reports/learner?learner=account:https://lms.example.org|learner-00001", l.reader, 200, `"timeline":[]`,
			&progress.Filter{Learner: "account:https://lms.example.org|learner-00001"}},
		{"course", "/api/reports/course?" + c, l.reader, 200, `"funnel":[]`, &progress.Filter{Course: reportsCourse}},
		{"responses escaped", "/api/reports/responses?" + c, l.reader, 200, `\u003cscript\u003ealert(\"x\")\u003c/script\u003e javascript:alert(1)`, nil},
		{"names escaped", "/api/reports/learners?" + c, l.reader, 200, `"name":"\u003cscript\u003e`, nil},
		{"unknown course", "/api/reports/learners?course=https://example.org/none", l.reader, 404, `{"error":"unknown course"}`, nil},
		{"course required", "/api/reports/learners", l.reader, 400, `{"error":"invalid parameter","property":"course","rule":"is required`, nil},
		{"course required for questions", "/api/reports/questions", l.reader, 400, `"property":"course"`, nil},
		{"bad since", "/api/reports/courses?since=yesterday", l.reader, 400, `"property":"since","rule":"must be an RFC 3339 timestamp or a date YYYY-MM-DD"`, nil},
		{"bad limit", "/api/reports/learners?" + c + "&limit=-1", l.reader, 400, `"property":"limit"`, nil},
		{"bad offset", "/api/reports/learners?" + c + "&offset=x", l.reader, 400, `"property":"offset"`, nil},
		{"bad status", "/api/reports/learners?" + c + "&status=done", l.reader, 400, `"property":"status"`, nil},
		{"bad sort", "/api/reports/learners?" + c + "&sort=age", l.reader, 400, `"property":"sort"`, nil},
		{"unknown parameter", "/api/reports/courses?status=passed", l.reader, 400, `"property":"status","rule":"is not a parameter of this resource"`, nil},
		{"learner required", "/api/reports/learner", l.reader, 400, `"property":"learner","rule":"is required"`, nil},
		{"learner not an IFI", "/api/reports/learner?learner=a@example.org", l.reader, 400, `"property":"learner"`, nil},
		{"repeated parameter", "/api/reports/learners?" + c + "&" + c, l.reader, 400, `"property":"course"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.last = progress.Filter{Learner: "untouched"}
			// Reports are not xAPI resources: no version header needed.
			rec := l.do(t, request{method: "GET", target: tt.target, cred: tt.cred, version: "-"})
			if rec.Code != tt.wantCode || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Fatalf("GET %s = %d %s, want %d with %s", tt.target, rec.Code, rec.Body, tt.wantCode, tt.wantBody)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			if tt.wantCode == 200 && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("body is not JSON: %s", rec.Body)
			}
			if tt.wantCode != 200 && tt.wantCode != 404 && fake.last.Learner != "untouched" {
				t.Errorf("a refused request reached the reader with %+v", fake.last)
			}
			if tt.wantFilter != nil && !sameFilter(fake.last, *tt.wantFilter) {
				t.Errorf("filter = %+v, want %+v", fake.last, *tt.wantFilter)
			}
		})
	}
}

func sameFilter(a, b progress.Filter) bool {
	if !a.Since.Equal(b.Since) || !a.Until.Equal(b.Until) {
		return false
	}
	a.Since, a.Until, b.Since, b.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

func TestReportsLeftOut(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	if rec := l.do(t, request{method: "GET", target: "/api/reports/courses", cred: l.Admin}); rec.Code != 404 {
		t.Errorf("without Config.Reports, GET /api/reports/courses = %d, want 404", rec.Code)
	}
}
