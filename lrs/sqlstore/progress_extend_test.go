package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

// progressTables reads every progress row (fold state included) as text,
// for comparing two ways of computing them.
func progressTables(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, q := range map[string]string{
		"learners": `SELECT course_id, learner, name, status, completed, lessons_viewed, COALESCE(score, -1), COALESCE(latest_score, -1),
			attempts, registrations, time_spent_ms, first_seen, last_seen FROM progress_learners ORDER BY course_id, learner`,
		"registrations": `SELECT course_id, learner, registration, status, completed, lessons_viewed, COALESCE(score, -1),
			COALESCE(latest_score, -1), attempts, time_spent_ms, first_seen, last_seen, fold_state
			FROM progress_registrations ORDER BY course_id, learner, registration`,
		"lessons":     `SELECT course_id, learner, lesson_id, first_viewed FROM progress_lessons ORDER BY course_id, learner, lesson_id`,
		"groups":      `SELECT course_id, grp, learner FROM progress_groups ORDER BY course_id, grp, learner`,
		"authorities": `SELECT course_id, authority, learner FROM progress_authorities ORDER BY course_id, authority, learner`,
	} {
		rows, err := s.r.Queryx(q)
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		for rows.Next() {
			cols, err := rows.SliceScan()
			if err != nil {
				t.Fatalf("read %s: %v", table, err)
			}
			out[table] = append(out[table], fmt.Sprintf("%v", cols))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestProgressExtend checks that progress folded batch by batch, each
// learner's new statements folded into their stored progress, is what
// folding all statements at once (Rebuild) gives, fold state included.
func TestProgressExtend(t *testing.T) {
	for _, db := range testDatabases {
		for _, split := range []int{1, 3, 5, 6, 9, 12, 14} {
			t.Run(fmt.Sprintf("%s/split=%d", db.name, split), func(t *testing.T) {
				ctx := context.Background()
				s, _, w := openWithWorker(t, db.dsn(t))
				script := progressScript()
				insertScript(t, s, 1, script[:split])
				if err := w.CatchUp(ctx); err != nil {
					t.Fatalf("CatchUp = %v", err)
				}
				insertScript(t, s, split+1, script[split:])
				if err := w.CatchUp(ctx); err != nil {
					t.Fatalf("CatchUp = %v", err)
				}
				checkAgainstRebuild(t, s, w)
			})
		}
	}
}

// TestProgressFoldedWithoutState checks that progress stored without fold
// state (before migration 0011) is folded again from the facts.
func TestProgressFoldedWithoutState(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s, _, w := openWithWorker(t, db.dsn(t))
			script := progressScript()
			insertScript(t, s, 1, script[:3])
			if err := w.CatchUp(ctx); err != nil {
				t.Fatalf("CatchUp = %v", err)
			}
			if _, err := s.w.Exec(`UPDATE progress_registrations SET fold_state = NULL, time_spent_ms = 0`); err != nil {
				t.Fatal(err)
			}
			insertScript(t, s, 4, script[3:])
			if err := w.CatchUp(ctx); err != nil {
				t.Fatalf("CatchUp = %v", err)
			}
			checkAgainstRebuild(t, s, w)
		})
	}
}

func diffTables(t *testing.T, rebuilt, batches map[string][]string) {
	t.Helper()
	for table, want := range rebuilt {
		if got := batches[table]; !slices.Equal(got, want) {
			t.Errorf("%s folded batch by batch =\n%v\nwant (rebuild)\n%v", table, got, want)
		}
	}
}

// TestQuestionCounts checks that the questions report read from the counts
// kept per question (no filter) is what counting the answers gives (a
// filter that lets every answer through), after voiding some answers; and
// that pages of the responses report are pages of all responses.
func TestQuestionCounts(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s := mustOpen(t, db.dsn(t))
			ps := s.Progress()
			c := fillCourse(t)
			if err := ps.PutCourse(ctx, c); err != nil {
				t.Fatalf("PutCourse = %v", err)
			}
			w := progress.NewWorker(ps, testLogger(t))
			var voids []lrs.Statement
			for i := range 20 {
				stmts := fillLearner(c, i, 60)
				if err := s.InsertStatements(ctx, stmts, nil); err != nil {
					t.Fatalf("InsertStatements = %v", err)
				}
				if err := w.CatchUp(ctx); err != nil {
					t.Fatalf("CatchUp = %v", err)
				}
				for _, st := range stmts[:20] {
					if i%4 == 0 && st.VerbID == "http://adlnet.gov/expapi/verbs/answered" {
						v := st
						v.ID = fmt.Sprintf("ffffffff-%04x-4000-8000-%012x", i, len(voids))
						v.VoidsID, v.VerbID, v.ObjectType, v.ObjectID = st.ID, "http://adlnet.gov/expapi/verbs/voided", "StatementRef", st.ID
						v.JSON = fmt.Appendf(nil, `{"id":%q,"actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":%q}}`, v.ID, st.ID)
						voids = append(voids, v)
					}
				}
			}
			if err := s.InsertStatements(ctx, voids, nil); err != nil {
				t.Fatalf("InsertStatements(voiding) = %v", err)
			}
			if err := w.CatchUp(ctx); err != nil {
				t.Fatalf("CatchUp = %v", err)
			}
			check := func(when string) {
				t.Helper()
				counted, err := ps.Questions(ctx, progress.Filter{Course: c.ID})
				if err != nil {
					t.Fatalf("Questions = %v", err)
				}
				scanned, err := ps.Questions(ctx, progress.Filter{Course: c.ID, Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
				if err != nil {
					t.Fatalf("Questions(since 2000) = %v", err)
				}
				if !reflect.DeepEqual(counted, scanned) {
					t.Errorf("%s: questions from the counts =\n%+v\nwant (from the answers)\n%+v", when, counted, scanned)
				}
				if counted[0].Attempts == 0 {
					t.Errorf("%s: no answers counted", when)
				}
				// Pages of responses are pages of all of them.
				all, err := ps.Responses(ctx, progress.Filter{Course: c.ID})
				if err != nil || len(all) < 20 {
					t.Fatalf("Responses = %d, %v; want at least 20", len(all), err)
				}
				for _, off := range []int{0, 7, len(all) - 3} {
					page, err := ps.Responses(ctx, progress.Filter{Course: c.ID, Limit: 7, Offset: off})
					if err != nil {
						t.Fatalf("Responses(offset %d) = %v", off, err)
					}
					if want := all[off:min(off+7, len(all))]; !reflect.DeepEqual(page, want) {
						t.Errorf("%s: Responses(limit 7, offset %d) =\n%+v\nwant\n%+v", when, off, page, want)
					}
				}
			}
			check("after voiding")
			if err := w.Rebuild(ctx); err != nil {
				t.Fatalf("Rebuild = %v", err)
			}
			check("after rebuilding")
		})
	}
}
