package main

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/lrstest"
	"github.com/coursekit/coursekit/lrs/progress"
)

// reportServer serves fake's reports through the real handlers and
// returns their base URL and a credential with statements/read.
func reportServer(t *testing.T, fake progress.Reader) (endpoint, cred string) {
	t.Helper()
	s := lrstest.NewServer(t, lrstest.Config(api.Config{Reports: fake}))
	return s.URL, s.Credential(t, "reports", "statements/read")
}

func TestRemoteReaderRoundTrip(t *testing.T) {
	fake := &fakeReader{}
	endpoint, cred := reportServer(t, fake)
	key, secret, _ := cutCred(cred)
	// The xAPI URL works as the endpoint too.
	r, err := newRemoteReader(endpoint+"/xapi/", key, secret)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := progress.Filter{Course: fakeCourse, Group: "Cohort A (North)", Status: progress.Passed, Search: "an", Sort: "-last", Limit: 5, Offset: 10,
		Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	direct := &fakeReader{}

	gotCourses, err := r.Courses(ctx, progress.Filter{Since: f.Since})
	wantCourses, _ := direct.Courses(ctx, f)
	check(t, "Courses", gotCourses, wantCourses, err)

	gotLearners, total, err := r.Learners(ctx, f)
	wantLearners, wantTotal, _ := direct.Learners(ctx, f)
	check(t, "Learners", gotLearners, wantLearners, err)
	if total != wantTotal || !sameFilterIgnoringTimes(fake.last, f) || !fake.last.Since.Equal(f.Since) || !fake.last.Until.Equal(f.Until) {
		t.Errorf("Learners: total %d, filter at the server %+v; want %d, %+v", total, fake.last, wantTotal, f)
	}

	lf := progress.Filter{Learner: "mbox:mailto:ben.brown.2@example.org"}
	gotLearner, err := r.Learner(ctx, lf)
	wantLearner, _ := direct.Learner(ctx, lf)
	check(t, "Learner", gotLearner, wantLearner, err)

	gotQuestions, err := r.Questions(ctx, f)
	wantQuestions, _ := direct.Questions(ctx, f)
	check(t, "Questions", gotQuestions, wantQuestions, err)

	gotResponses, err := r.Responses(ctx, f)
	wantResponses, _ := direct.Responses(ctx, f)
	check(t, "Responses", gotResponses, wantResponses, err)

	if _, _, err := r.Learners(ctx, progress.Filter{Course: "https://example.org/none"}); err != progress.ErrUnknownCourse {
		t.Errorf("Learners of an unknown course: err = %v, want progress.ErrUnknownCourse", err)
	}
	bad, _ := newRemoteReader(endpoint, key, "wrong")
	if _, err := bad.Courses(ctx, progress.Filter{}); err == nil {
		t.Error("a wrong secret read the courses")
	}
}

func sameFilterIgnoringTimes(a, b progress.Filter) bool {
	a.Since, a.Until, b.Since, b.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

func check[T any](t *testing.T, name string, got, want T, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s over HTTP = %+v\nwant %+v", name, got, want)
	}
}

func cutCred(cred string) (key, secret string, ok bool) {
	for i := range len(cred) {
		if cred[i] == ':' {
			return cred[:i], cred[i+1:], true
		}
	}
	return "", "", false
}

// TestReportRemoteGolden: the command prints the same reports from an LRS
// as from the reader itself.
func TestReportRemoteGolden(t *testing.T) {
	endpoint, cred := reportServer(t, &fakeReader{})
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"courses.table", []string{"courses"}},
		{"learners.csv", []string{"learners", "--course", fakeCourse, "--csv"}},
		{"learner.json", []string{"learner", "ben.brown.2@example.org", "--json"}},
		{"responses.table", []string{"responses", "--course", fakeCourse}},
	} {
		args := append([]string{"report"}, tt.args...)
		args = append(args, "--endpoint", endpoint, "--credential", cred)
		stdout, _ := checkCLI(t, args, exitOK, nil, nil)
		golden(t, filepath.Join("testdata", "report", tt.golden), stdout)
	}
	t.Setenv("COURSEKIT_LRS_CREDENTIAL", cred)
	checkCLI(t, []string{"report", "courses", "--endpoint", endpoint, "--json"}, exitOK, []string{`"courses"`}, nil)
	checkCLI(t, []string{"report", "courses", "--endpoint", endpoint, "--credential", "nope:nope"}, exitFailure, nil, []string{"refused the credential"})
	checkCLI(t, []string{"report", "learners", "--endpoint", endpoint, "--course", "https://example.org/x"}, exitFailure, nil, []string{`unknown course "https://example.org/x"`})
}
