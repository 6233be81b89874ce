package sqlstore

import (
	"context"
	"slices"
	"testing"

	"github.com/coursekit/coursekit/lrs/progress"
)

// TestProgressOutOfOrder stores the script's statements latest first, the
// worker catching up after each: every statement but the first comes
// before what its learner's progress holds, so the learner is folded again
// from their statements each time. The progress must be what folding all
// of them at once gives.
func TestProgressOutOfOrder(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s, _, w := openWithWorker(t, db.dsn(t))
			script := progressScript()
			for i := range script {
				n := len(script) - i
				insertScript(t, s, n, script[n-1:n])
				if err := w.CatchUp(ctx); err != nil {
					t.Fatalf("CatchUp = %v", err)
				}
			}
			checkAgainstRebuild(t, s, w)
		})
	}
}

// openWithWorker opens a store with the test course registered, and a
// worker on it.
func openWithWorker(t *testing.T, dsn string) (*Store, *ProgressStore, *progress.Worker) {
	t.Helper()
	s := mustOpen(t, dsn)
	ps := s.Progress()
	if err := ps.PutCourse(context.Background(), progressTestCourse()); err != nil {
		t.Fatalf("PutCourse = %v", err)
	}
	return s, ps, progress.NewWorker(ps, testLogger(t))
}

// checkAgainstRebuild checks that the progress stored is what folding
// every statement at once (Rebuild) gives.
func checkAgainstRebuild(t *testing.T, s *Store, w *progress.Worker) {
	t.Helper()
	got := progressTables(t, s)
	if err := w.Rebuild(context.Background()); err != nil {
		t.Fatalf("Rebuild = %v", err)
	}
	diffTables(t, progressTables(t, s), got)
}

// TestProgressAuthorityWithoutAnswers checks that the reports of a
// credential that reads only its own statements list a learner it stored
// statements of, none of them answers, and stop listing them once those
// statements are voided.
func TestProgressAuthorityWithoutAnswers(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s, ps, w := openWithWorker(t, db.dsn(t))
			who := benchLearner(7)
			learners := func() []string {
				t.Helper()
				if err := w.CatchUp(ctx); err != nil {
					t.Fatalf("CatchUp = %v", err)
				}
				rows, _, err := ps.Learners(ctx, progress.Filter{Course: progressCourse, Authority: "account:https://lrs|" + who})
				if err != nil {
					t.Fatalf("Learners = %v", err)
				}
				var out []string
				for _, r := range rows {
					out = append(out, r.Learner)
				}
				return out
			}
			insertScript(t, s, 1, []pst{
				{who: who, verb: "initialized"},
				{who: who, verb: "experienced", object: "/lessons/l1", at: 1},
			})
			if got := learners(); !slices.Equal(got, []string{"mbox:mailto:" + who + "@example.org"}) {
				t.Errorf("learners for the learner's own credential = %v, want the learner", got)
			}
			insertScript(t, s, 3, []pst{
				{who: "bob", verb: "experienced", object: "/lessons/l2", at: 2},
				{who: who, verb: "voided", voids: "00000000-0000-4000-8000-000000000001", at: 3},
				{who: who, verb: "voided", voids: "00000000-0000-4000-8000-000000000002", at: 4},
			})
			if got := learners(); len(got) != 0 {
				t.Errorf("learners once their statements are voided = %v, want none", got)
			}
		})
	}
}
