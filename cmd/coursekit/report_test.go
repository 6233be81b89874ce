package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/report")

// fakeReader answers every report with fixed rows, some of whose texts are
// what an attacker would put in statements, and keeps the last filter.
type fakeReader struct {
	last progress.Filter
}

var _ progress.Reader = (*fakeReader)(nil)

var (
	reportT0  = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	hostile   = "=HYPERLINK(\"http://evil.example\",\"click\")"
	scriptTxt = "<script>alert(1)</script> \x1b[31mred\x1b[0m\nsecond line, with \"quotes\""
)

func ptr[T any](v T) *T { return &v }

const fakeCourse = "https://courses.coursekit.example/peer-support-training"

func (f *fakeReader) Courses(_ context.Context, flt progress.Filter) ([]progress.CourseSummary, error) {
	f.last = flt
	return []progress.CourseSummary{
		{ID: fakeCourse, Title: "Peer Support Training", Lessons: 12, Started: 180, Completed: 61, Passed: 70, Failed: 12,
			CompletionRate: 61.0 / 180, MedianScore: ptr(0.8667), MedianTime: 2*time.Hour + 14*time.Minute + 5*time.Second},
		{ID: "https://example.org/courses/empty", Title: "+Empty course", Lessons: 3},
	}, nil
}

func (f *fakeReader) Course(_ context.Context, flt progress.Filter) (progress.CourseDetail, error) {
	f.last = flt
	return progress.CourseDetail{}, nil
}

func (f *fakeReader) Learners(_ context.Context, flt progress.Filter) ([]progress.LearnerRow, int, error) {
	f.last = flt
	if flt.Course != fakeCourse {
		return nil, 0, progress.ErrUnknownCourse
	}
	return []progress.LearnerRow{
		{Learner: "account:https://lms.example.org|learner-00001", Name: "Aisha Khan", Status: progress.Passed, Progress: 1,
			Score: ptr(0.9333), LatestScore: ptr(0.9333), Attempts: 1, Registrations: 1, TimeSpent: 3*time.Hour + 2*time.Minute,
			FirstSeen: reportT0, LastSeen: reportT0.Add(9 * 24 * time.Hour)},
		{Learner: "mbox:mailto:ben.brown.2@example.org", Name: hostile, Status: progress.InProgress, Progress: 5.0 / 12,
			Attempts: 0, Registrations: 2, TimeSpent: 47*time.Minute + 30*time.Second, FirstSeen: reportT0.Add(time.Hour), LastSeen: reportT0.Add(50 * time.Hour)},
		{Learner: "mbox:mailto:c@example.org", Name: "-1+1", Status: progress.Failed, Progress: 11.0 / 12,
			Score: ptr(0.6), LatestScore: ptr(0.5333), Attempts: 2, Registrations: 1, TimeSpent: 95 * time.Second,
			FirstSeen: reportT0.Add(2 * time.Hour), LastSeen: reportT0.Add(3 * time.Hour)},
	}, 42, nil
}

func (f *fakeReader) Learner(_ context.Context, flt progress.Filter) (progress.LearnerDetail, error) {
	f.last = flt
	return progress.LearnerDetail{
		Learner: flt.Learner, Name: "Ben Brown",
		Courses: []progress.LearnerCourse{{CourseID: fakeCourse, Title: "Peer Support Training",
			Row:     progress.LearnerRow{Learner: flt.Learner, Status: progress.InProgress, Progress: 2.0 / 12, TimeSpent: 20 * time.Minute, LastSeen: reportT0.Add(time.Hour)},
			Lessons: []progress.LessonViewed{{LessonID: "introduction", Title: "Introduction", Viewed: true, At: reportT0}, {LessonID: "what-is-recovery", Title: "What is recovery?", Viewed: true, At: reportT0.Add(10 * time.Minute)}, {LessonID: "personal-recovery", Title: "Personal recovery"}}}},
		Timeline: []progress.Event{
			{StatementID: "0a6e1b7c-0000-4000-8000-000000000003", Time: reportT0.Add(time.Hour), Verb: "http://adlnet.gov/expapi/verbs/answered", VerbDisplay: "answered",
				Activity: fakeCourse + "/interactions/sylvia-first-meeting", Title: "You have just introduced yourself", CourseID: fakeCourse,
				Registration: "5b1c1e0e-7c51-4f5b-9a1a-2b1e8e7f0c01", Response: scriptTxt, Duration: 4*time.Minute + 10*time.Second},
			{StatementID: "0a6e1b7c-0000-4000-8000-000000000002", Time: reportT0.Add(30 * time.Minute), Verb: "http://adlnet.gov/expapi/verbs/answered", VerbDisplay: "answered",
				Activity: fakeCourse + "/interactions/role-model-term", CourseID: fakeCourse, Success: ptr(false), Response: "bandura", Duration: 21 * time.Second},
			{StatementID: "0a6e1b7c-0000-4000-8000-000000000001", Time: reportT0, Verb: "http://adlnet.gov/expapi/verbs/passed", VerbDisplay: "passed",
				Activity: fakeCourse + "/au", CourseID: fakeCourse, Score: ptr(0.8), Success: ptr(true), Completion: nil},
		},
	}, nil
}

func (f *fakeReader) Questions(_ context.Context, flt progress.Filter) ([]progress.QuestionRow, error) {
	f.last = flt
	return []progress.QuestionRow{
		{ID: "role-model-term", LessonID: "using-your-experiences", Kind: "single-choice", Prompt: "Who first used the term ‘role model’?",
			Attempts: 120, Learners: 100, Correct: 84, CorrectRate: 0.7,
			WrongAnswers: []progress.AnswerCount{{Response: "Albert Bandura", Count: 25}, {Response: "Pat Deegan", Count: 11}}},
		{ID: "comfort-zone", LessonID: "positive-risk-taking", Kind: "fill-in", Prompt: "Positive risk taking can mean stepping out of our ______ zone.",
			Attempts: 3, Learners: 3, Correct: 1, CorrectRate: 1.0 / 3, WrongAnswers: []progress.AnswerCount{{Response: "@SUM(A1:A9)", Count: 2}}},
		{ID: "sylvia-first-meeting", LessonID: "using-your-experiences", Kind: progress.KindReflection, Prompt: "You have just introduced yourself to Sylvia."},
	}, nil
}

func (f *fakeReader) Responses(_ context.Context, flt progress.Filter) ([]progress.ResponseRow, error) {
	f.last = flt
	return []progress.ResponseRow{
		{StatementID: "0a6e1b7c-0000-4000-8000-000000000003", Learner: "mbox:mailto:ben.brown.2@example.org", Name: "Ben Brown",
			QuestionID: "sylvia-first-meeting", Kind: progress.KindReflection, Prompt: "You have just introduced yourself to Sylvia.", Text: scriptTxt, Time: reportT0.Add(time.Hour)},
		{StatementID: "0a6e1b7c-0000-4000-8000-000000000004", Learner: "account:https://lms.example.org|learner-00001",
			QuestionID: "recovery-story", Kind: progress.KindEssay, Prompt: "Write an essay about your personal recovery story.",
			Text: "My recovery did not start in a single moment.\n\nLooking back, it began with small things.", Time: reportT0.Add(26 * time.Hour)},
	}, nil
}

// runReport runs coursekit report against r and maps its error to an exit
// code the way run does.
func runReport(t *testing.T, r progress.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := (&reportCmd{stdout: &out, stderr: &errOut, reader: r}).Run(context.Background(), args)
	var usage *usageError
	switch {
	case err == nil:
		return exitOK, out.String(), errOut.String()
	case errors.As(err, &usage):
		return exitUsage, out.String(), err.Error()
	}
	return exitFailure, out.String(), err.Error()
}

func TestReportGolden(t *testing.T) {
	learner := []string{"learner", "ben.brown.2@example.org"}
	course := []string{"--course", fakeCourse}
	reports := map[string][]string{
		"courses":   {"courses"},
		"learners":  append([]string{"learners"}, course...),
		"learner":   learner,
		"questions": append([]string{"questions"}, course...),
		"responses": append([]string{"responses"}, course...),
	}
	for name, args := range reports {
		for _, format := range []string{"table", "csv", "json"} {
			t.Run(name+"."+format, func(t *testing.T) {
				a := args
				if format != "table" {
					a = append(append([]string(nil), args...), "--"+format)
				}
				code, stdout, stderr := runReport(t, &fakeReader{}, a...)
				if code != exitOK {
					t.Fatalf("report %q: exit %d: %s", a, code, stderr)
				}
				golden(t, filepath.Join("testdata", "report", name+"."+format), stdout)
				switch format {
				case "table":
					if strings.ContainsAny(stdout, "\x1b\r") {
						t.Errorf("the table holds control characters:\n%q", stdout)
					}
				case "csv":
					recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
					if err != nil {
						t.Fatalf("CSV does not parse: %v", err)
					}
					for _, rec := range recs {
						for _, cell := range rec {
							if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
								t.Errorf("CSV cell %q would run as a formula", cell)
							}
						}
					}
				}
			})
		}
	}
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update to accept):\n--- want\n%s\n+++ got\n%s", path, want, got)
	}
}

func TestReportCSVRows(t *testing.T) {
	// The Interface: a header row and one row per learner.
	_, stdout, _ := runReport(t, &fakeReader{}, "learners", "--course", fakeCourse, "--csv")
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(recs) != 4 || recs[0][0] != "learner" || recs[1][0] != "account:https://lms.example.org|learner-00001" {
		t.Errorf("learners CSV = %q, %v; want a header and three learners", recs, err)
	}
}

func TestReportFilters(t *testing.T) {
	tests := []struct {
		args []string
		want progress.Filter
	}{
		{[]string{"courses", "--since", "2026-11-01", "--until", "2026-11-30", "--group", "Cohort A (North)"},
			progress.Filter{Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Group: "Cohort A (North)"}},
		{[]string{"learners", "--course", fakeCourse, "--status", "in progress", "--sort", "-score", "--limit", "10", "--since", "2026-11-01T12:00:00+01:00"},
			progress.Filter{Course: fakeCourse, Status: progress.InProgress, Sort: "-score", Limit: 10, Since: time.Date(2026, 11, 1, 11, 0, 0, 0, time.UTC)}},
		{[]string{"learner", "mailto:Ben@Example.org"}, progress.Filter{Learner: "mbox:mailto:Ben@example.org"}},
		{[]string{"learner", "a@b.example"}, progress.Filter{Learner: "mbox:mailto:a@b.example"}},
		{[]string{"learner", "https://lms.example.org|learner-00001"}, progress.Filter{Learner: "account:https://lms.example.org|learner-00001"}},
		{[]string{"learner", "account:https://lms.example.org|learner-00001"}, progress.Filter{Learner: "account:https://lms.example.org|learner-00001"}},
		{[]string{"learner", "mbox:mailto:a@b.example", "--course", fakeCourse}, progress.Filter{Learner: "mbox:mailto:a@b.example", Course: fakeCourse}},
		{[]string{"questions", "--course", fakeCourse, "--group", "account:https://lms.example.org|cohort-a"}, progress.Filter{Course: fakeCourse, Group: "account:https://lms.example.org|cohort-a"}},
	}
	for _, tt := range tests {
		r := &fakeReader{}
		if code, _, stderr := runReport(t, r, tt.args...); code != exitOK {
			t.Errorf("report %q: exit %d: %s", tt.args, code, stderr)
			continue
		}
		if !r.last.Since.Equal(tt.want.Since) || !r.last.Until.Equal(tt.want.Until) {
			t.Errorf("report %q: since %v until %v, want %v %v", tt.args, r.last.Since, r.last.Until, tt.want.Since, tt.want.Until)
		}
		r.last.Since, r.last.Until, tt.want.Since, tt.want.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if r.last != tt.want {
			t.Errorf("report %q: filter %+v, want %+v", tt.args, r.last, tt.want)
		}
	}
}

func TestReportErrors(t *testing.T) {
	tests := []struct {
		args       []string
		wantCode   int
		wantStderr string
	}{
		{nil, exitUsage, "report needs one of"},
		{[]string{"people"}, exitUsage, `unknown report "people"`},
		{[]string{"learners"}, exitUsage, "needs --course ID"},
		{[]string{"questions", "--csv"}, exitUsage, "needs --course ID"},
		{[]string{"learner"}, exitUsage, "takes one LEARNER"},
		{[]string{"learner", "nobody"}, exitUsage, "give an e-mail address"},
		{[]string{"learner", "mbox:nobody"}, exitUsage, "mbox"},
		{[]string{"courses", "extra"}, exitUsage, "takes no arguments"},
		{[]string{"courses", "--since", "yesterday"}, exitUsage, "--since"},
		{[]string{"courses", "--status", "passed"}, exitUsage, "are for report learners"},
		{[]string{"learners", "--course", fakeCourse, "--status", "done"}, exitUsage, "--status"},
		{[]string{"learners", "--course", fakeCourse, "--sort", "age"}, exitUsage, "--sort"},
		{[]string{"learners", "--course", fakeCourse, "--limit", "-1"}, exitUsage, "--limit"},
		{[]string{"courses", "--csv", "--json"}, exitUsage, "not both"},
		{[]string{"learners", "--course", "https://example.org/other"}, exitFailure, `unknown course "https://example.org/other"`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runReport(t, &fakeReader{}, tt.args...)
		if code != tt.wantCode || !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("report %q = exit %d, %q; want %d and %q", tt.args, code, stderr, tt.wantCode, tt.wantStderr)
		}
		if code == exitUsage && stdout != "" {
			t.Errorf("report %q printed to stdout on a usage error: %q", tt.args, stdout)
		}
	}
	// Through run: the exit codes and the remote flags.
	for _, tt := range []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"report", "courses", "--endpoint", "ftp://x"}, exitUsage, "--endpoint needs --credential"},
		{[]string{"report", "courses", "--endpoint", "ftp://x", "--credential", "k:s"}, exitUsage, "not an http(s) URL"},
		{[]string{"report", "courses", "--endpoint", "http://127.0.0.1:1", "--db", "sqlite:x.db", "--credential", "k:s"}, exitUsage, "not both"},
		{[]string{"report", "courses", "--credential", "k:s"}, exitUsage, "--credential goes with --endpoint"},
	} {
		checkCLI(t, tt.args, tt.wantCode, nil, []string{tt.want})
	}
}
