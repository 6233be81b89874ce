package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

const progressCourse = "https://example.org/courses/c"

var pt0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func progressTestCourse() progress.Course {
	m := 0.8
	return progress.Course{
		ID: progressCourse, Title: "C", MasteryScore: &m,
		Lessons: []progress.Lesson{
			{ID: "l1", ActivityID: progressCourse + "/lessons/l1", Title: "One"},
			{ID: "l2", ActivityID: progressCourse + "/lessons/l2", Title: "Two"},
		},
		Questions: []progress.Question{
			{ID: "q1", ActivityID: progressCourse + "/interactions/q1", LessonID: "l1", Kind: "multiple-choice", Prompt: "Q?",
				Choices: []progress.Choice{{ID: "a", Text: "Alpha"}, {ID: "b", Text: "Beta"}, {ID: "c", Text: "Gamma"}}},
			{ID: "r1", ActivityID: progressCourse + "/interactions/r1", LessonID: "l2", Kind: progress.KindReflection, Prompt: "Think"},
		},
	}
}

// pst is one statement of the store tests' script.
type pst struct {
	who    string // "ann", "bob"
	verb   string
	object string // after the course id
	reg    string
	at     time.Duration
	result map[string]any
	team   string
	voids  string
}

var progressActors = map[string]struct {
	json map[string]any
	ifi  string
}{
	"ann": {map[string]any{"mbox": "mailto:ann@example.org", "name": "Ann <script>"}, "mbox:mailto:ann@example.org"},
	"bob": {map[string]any{"account": map[string]any{"homePage": "https://lms.example.org", "name": "bob"}, "name": "Bob"}, "account:https://lms.example.org|bob"},
}

func progressStatement(t testing.TB, n int, s pst) lrs.Statement {
	t.Helper()
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	a := progressActors[s.who]
	at := pt0.Add(s.at)
	m := map[string]any{"id": id, "actor": a.json, "verb": map[string]any{"id": "http://adlnet.gov/expapi/verbs/" + s.verb},
		"timestamp": at.Format(time.RFC3339Nano), "stored": at.Format(time.RFC3339Nano), "version": "1.0.0"}
	st := lrs.Statement{ID: id, Stored: at, ActorIFI: a.ifi, VerbID: "http://adlnet.gov/expapi/verbs/" + s.verb,
		ObjectType: "Activity", ObjectID: progressCourse + s.object, Registration: s.reg, AuthorityIFI: "account:https://lrs|" + s.who}
	if s.voids != "" {
		m["object"] = map[string]any{"objectType": "StatementRef", "id": s.voids}
		st.ObjectType, st.ObjectID, st.VoidsID = "StatementRef", s.voids, s.voids
	} else {
		m["object"] = map[string]any{"id": progressCourse + s.object}
	}
	ctx := map[string]any{}
	if s.reg != "" {
		ctx["registration"] = s.reg
	}
	if s.team != "" {
		ctx["team"] = map[string]any{"objectType": "Group", "name": s.team, "mbox": "mailto:team@example.org"}
	}
	if len(ctx) > 0 {
		m["context"] = ctx
	}
	if s.result != nil {
		m["result"] = s.result
	}
	var err error
	if st.JSON, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	return st
}

func insertScript(t *testing.T, s *Store, first int, script []pst) {
	t.Helper()
	var stmts []lrs.Statement
	for i, p := range script {
		stmts = append(stmts, progressStatement(t, first+i, p))
	}
	if err := s.InsertStatements(context.Background(), stmts, nil); err != nil {
		t.Fatalf("InsertStatements = %v", err)
	}
}

const (
	regA = "11111111-1111-4111-8111-111111111111"
	regB = "22222222-2222-4222-8222-222222222222"
)

func progressScript() []pst {
	m := time.Minute
	return []pst{
		// Ann fails in regA, passes in regB.
		{who: "ann", verb: "initialized", reg: regA},
		{who: "ann", verb: "experienced", object: "/lessons/l1", reg: regA, at: m},
		{who: "ann", verb: "answered", object: "/interactions/q1", reg: regA, at: 2 * m, result: map[string]any{"success": false, "response": "a[,]b"}},
		{who: "ann", verb: "failed", reg: regA, at: 3 * m, result: map[string]any{"success": false, "score": map[string]any{"scaled": 0.5}, "duration": "PT3M"}},
		{who: "ann", verb: "terminated", reg: regA, at: 4 * m, result: map[string]any{"duration": "PT4M"}},
		{who: "ann", verb: "initialized", reg: regB, at: 24 * time.Hour},
		{who: "ann", verb: "experienced", object: "/lessons/l2", reg: regB, at: 24*time.Hour + m},
		{who: "ann", verb: "answered", object: "/interactions/r1", reg: regB, at: 24*time.Hour + 2*m, result: map[string]any{"response": "=cmd|' /C calc'!A0 <b>"}},
		{who: "ann", verb: "answered", object: "/interactions/q1", reg: regB, at: 24*time.Hour + 3*m, result: map[string]any{"success": true, "response": "a[,]c"}},
		{who: "ann", verb: "passed", reg: regB, at: 24*time.Hour + 4*m, result: map[string]any{"success": true, "score": map[string]any{"scaled": 0.95}, "duration": "PT4M"}},
		{who: "ann", verb: "terminated", reg: regB, at: 24*time.Hour + 6*m, result: map[string]any{"duration": "PT6M"}},
		// Bob views one lesson in a team and answers wrong; his pass is
		// voided later.
		{who: "bob", verb: "experienced", object: "/lessons/l1", at: 2 * time.Hour, team: "Team A"},
		{who: "bob", verb: "answered", object: "/interactions/q1", at: 2*time.Hour + m, result: map[string]any{"success": false, "response": "a[,]b"}},
		{who: "bob", verb: "passed", at: 2*time.Hour + 2*m, result: map[string]any{"success": true, "score": map[string]any{"scaled": 0.85}}},
		// A course nobody registered.
		{who: "bob", verb: "experienced", object: "x/lessons/l1", at: 3 * time.Hour},
	}
}

func TestProgressStore(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s := mustOpen(t, db.dsn(t))
			ps := s.Progress()
			script := progressScript()
			insertScript(t, s, 1, script)
			// The course is registered after its statements: they are
			// folded all the same.
			if err := ps.PutCourse(ctx, progressTestCourse()); err != nil {
				t.Fatalf("PutCourse = %v", err)
			}
			w := progress.NewWorker(ps, testLogger(t))
			if err := w.CatchUp(ctx); err != nil {
				t.Fatalf("CatchUp = %v", err)
			}
			checkProgressReports(t, ps, true)

			// Voiding Bob's pass takes it out.
			insertScript(t, s, 100, []pst{{who: "bob", verb: "voided", voids: fmt.Sprintf("00000000-0000-4000-8000-%012d", 14), at: 4 * time.Hour}})
			if err := w.CatchUp(ctx); err != nil {
				t.Fatalf("CatchUp = %v", err)
			}
			checkProgressReports(t, ps, false)

			if err := w.Rebuild(ctx); err != nil {
				t.Fatalf("Rebuild = %v", err)
			}
			checkProgressReports(t, ps, false)
		})
	}
}

func checkProgressReports(t *testing.T, ps *ProgressStore, bobPassed bool) {
	t.Helper()
	ctx := context.Background()
	f := progress.Filter{Course: progressCourse}
	ann, bob := progressActors["ann"].ifi, progressActors["bob"].ifi
	f95, f85 := 0.95, 0.85

	courses, err := ps.Courses(ctx, progress.Filter{})
	if err != nil {
		t.Fatalf("Courses = %v", err)
	}
	want := progress.CourseSummary{ID: progressCourse, Title: "C", Lessons: 2, Started: 2, Completed: 1, Passed: 1,
		CompletionRate: 0.5, MedianScore: &f95, MedianTime: (10*time.Minute + time.Minute) / 2}
	if bobPassed {
		ms := (f85 + f95) / 2
		want.Completed, want.Passed, want.CompletionRate, want.MedianScore, want.MedianTime = 2, 2, 1, &ms, 6*time.Minute
	}
	if len(courses) != 1 || !reflect.DeepEqual(courses[0], want) {
		t.Errorf("Courses = %+v, want [%+v]", courses, want)
	}

	d, err := ps.Course(ctx, f)
	if err != nil {
		t.Fatalf("Course = %v", err)
	}
	wantFunnel := []progress.LessonCount{{LessonID: "l1", Title: "One", Learners: 2}, {LessonID: "l2", Title: "Two", Learners: 1}}
	if !reflect.DeepEqual(d.Funnel, wantFunnel) {
		t.Errorf("Course funnel = %+v, want %+v", d.Funnel, wantFunnel)
	}
	wantHist := [10]int{9: 1}
	if bobPassed {
		wantHist[8] = 1
	}
	if d.Scores != wantHist {
		t.Errorf("Course scores = %v, want %v", d.Scores, wantHist)
	}
	if _, err := ps.Course(ctx, progress.Filter{Course: "https://nope"}); !errors.Is(err, progress.ErrUnknownCourse) {
		t.Errorf("Course(unknown) = %v, want ErrUnknownCourse", err)
	}

	annRow := progress.LearnerRow{Learner: ann, Name: "Ann <script>", Status: progress.Passed, Progress: 1, Score: &f95, LatestScore: &f95,
		Attempts: 2, Registrations: 2, TimeSpent: 10 * time.Minute, FirstSeen: pt0, LastSeen: pt0.Add(24*time.Hour + 6*time.Minute)}
	bobRow := progress.LearnerRow{Learner: bob, Name: "Bob", Status: progress.InProgress, Progress: 0.5,
		Registrations: 1, TimeSpent: time.Minute, FirstSeen: pt0.Add(2 * time.Hour), LastSeen: pt0.Add(2*time.Hour + time.Minute)}
	if bobPassed {
		bobRow.Status, bobRow.Score, bobRow.LatestScore, bobRow.Attempts = progress.Passed, &f85, &f85, 1
		bobRow.TimeSpent, bobRow.LastSeen = 2*time.Minute, pt0.Add(2*time.Hour+2*time.Minute)
	}
	learnerTests := []struct {
		name  string
		f     progress.Filter
		want  []progress.LearnerRow
		total int
	}{
		{"all by name", f, []progress.LearnerRow{annRow, bobRow}, 2},
		{"by time, descending", progress.Filter{Course: progressCourse, Sort: "-time"}, []progress.LearnerRow{annRow, bobRow}, 2},
		{"by progress", progress.Filter{Course: progressCourse, Sort: "progress"}, []progress.LearnerRow{bobRow, annRow}, 2},
		{"page", progress.Filter{Course: progressCourse, Limit: 1, Offset: 1}, []progress.LearnerRow{bobRow}, 2},
		{"search", progress.Filter{Course: progressCourse, Search: "SCRIPT"}, []progress.LearnerRow{annRow}, 1},
		{"search escapes %", progress.Filter{Course: progressCourse, Search: "%"}, []progress.LearnerRow{}, 0},
		{"group", progress.Filter{Course: progressCourse, Group: "Team A"}, []progress.LearnerRow{bobRow}, 1},
		{"status", progress.Filter{Course: progressCourse, Status: progress.Passed}, map[bool][]progress.LearnerRow{true: {annRow, bobRow}, false: {annRow}}[bobPassed], map[bool]int{true: 2, false: 1}[bobPassed]},
		{"since", progress.Filter{Course: progressCourse, Since: pt0.Add(5 * time.Hour)}, []progress.LearnerRow{annRow}, 1},
		{"until", progress.Filter{Course: progressCourse, Until: pt0.Add(5 * time.Hour)}, []progress.LearnerRow{bobRow}, 1},
		{"authority", progress.Filter{Course: progressCourse, Authority: "account:https://lrs|bob"}, []progress.LearnerRow{bobRow}, 1},
	}
	for _, tt := range learnerTests {
		got, total, err := ps.Learners(ctx, tt.f)
		if err != nil || total != tt.total || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Learners(%s) = %+v, %d, %v, want %+v, %d", tt.name, got, total, err, tt.want, tt.total)
		}
	}
	if _, _, err := ps.Learners(ctx, progress.Filter{Course: progressCourse, Sort: "x"}); !errors.Is(err, ErrUnknownSort) {
		t.Errorf("Learners(sort x) = %v, want ErrUnknownSort", err)
	}

	ld, err := ps.Learner(ctx, progress.Filter{Learner: ann})
	if err != nil {
		t.Fatalf("Learner = %v", err)
	}
	if len(ld.Courses) != 1 || !reflect.DeepEqual(ld.Courses[0].Row, annRow) || len(ld.Courses[0].Lessons) != 2 ||
		!ld.Courses[0].Lessons[1].Viewed || !ld.Courses[0].Lessons[1].At.Equal(pt0.Add(24*time.Hour+time.Minute)) {
		t.Errorf("Learner(ann) courses = %+v", ld.Courses)
	}
	if len(ld.Timeline) != 11 || ld.Timeline[0].Verb != "http://adlnet.gov/expapi/verbs/terminated" || ld.Timeline[0].Duration != 6*time.Minute ||
		ld.Timeline[1].Score == nil || *ld.Timeline[1].Score != 0.95 || ld.Timeline[1].CourseID != progressCourse || ld.Timeline[1].Title != "C" {
		t.Errorf("Learner(ann) timeline = %+v", ld.Timeline)
	}

	qs, err := ps.Questions(ctx, f)
	if err != nil {
		t.Fatalf("Questions = %v", err)
	}
	wantQ := []progress.QuestionRow{{ID: "q1", LessonID: "l1", Kind: "multiple-choice", Prompt: "Q?", Attempts: 3, Learners: 2, Correct: 1,
		CorrectRate: 1.0 / 3, WrongAnswers: []progress.AnswerCount{{Response: "Alpha, Beta", Count: 2}}}}
	if !reflect.DeepEqual(qs, wantQ) {
		t.Errorf("Questions = %+v, want %+v", qs, wantQ)
	}

	rs, err := ps.Responses(ctx, f)
	if err != nil {
		t.Fatalf("Responses = %v", err)
	}
	wantR := []progress.ResponseRow{{StatementID: "00000000-0000-4000-8000-000000000008", Learner: ann, Name: "Ann <script>", QuestionID: "r1",
		Kind: progress.KindReflection, Prompt: "Think", Text: "=cmd|' /C calc'!A0 <b>", Time: pt0.Add(24*time.Hour + 2*time.Minute)}}
	if !reflect.DeepEqual(rs, wantR) {
		t.Errorf("Responses = %+v, want %+v", rs, wantR)
	}
}

// On PostgreSQL a statement committed while one with a lower seq is still
// being inserted is not handed to the worker until that one ends: the
// worker would skip it otherwise.
func TestProgressHorizon(t *testing.T) {
	ctx := context.Background()
	s := mustOpenPostgres(t)
	ps := s.Progress()
	stmts := benchStatements(2, 1)
	same := func(int, []byte, []byte) bool { return true }

	tx, err := s.w.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := s.d.lockVoiding(ctx, tx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.insertStatements(ctx, tx, stmts[:1], same); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertStatements(ctx, stmts[1:], nil); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if seq, err := ps.LastSeq(ctx); err != nil || seq != 0 {
			t.Fatalf("LastSeq with seq 1 uncommitted = %d, %v; want 0", seq, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if seq, err := ps.LastSeq(ctx); err != nil || seq != 2 {
		t.Fatalf("LastSeq after the commit = %d, %v; want 2", seq, err)
	}
}
