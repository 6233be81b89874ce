package sqlstore

import (
	"context"
	"slices"
	"testing"
)

// TestMigrateAnswerFactsOnly checks migration 0014 on a database that
// holds facts of every kind: the credentials that stored each learner's
// statements move to progress_authorities, and only answers stay facts.
func TestMigrateAnswerFactsOnly(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			s := mustOpen(t, db.dsn(t))
			// Back to the database as it was before 0014, with facts.
			for _, q := range []string{
				`DROP TABLE progress_authorities`,
				`DELETE FROM schema_migrations WHERE version = '0014_answer_facts_only'`,
			} {
				if _, err := s.w.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			insert := s.w.Rebind(`INSERT INTO progress_facts (statement_id, course_id, seq, learner, registration, kind,
				question_id, duration_ms, at, authority) VALUES (?, 'c', ?, ?, '', ?, ?, 0, '2026-12-03T10:00:00.000000Z', ?)`)
			for _, f := range []struct {
				id, learner, kind, question, authority string
			}{
				{"s1", "ann", "viewed", "", "lrs|ann"},
				{"s2", "ann", "answer", "q1", "lrs|ann"},
				{"s3", "bob", "start", "", "lrs|admin"},
				{"s4", "bob", "other", "", "lrs|admin"},
			} {
				var question any
				if f.question != "" {
					question = f.question
				}
				if _, err := s.w.ExecContext(ctx, insert, f.id, len(f.id), f.learner, f.kind, question, f.authority); err != nil {
					t.Fatalf("insert fact: %v", err)
				}
			}
			if err := s.migrate(ctx); err != nil {
				t.Fatalf("migrate = %v", err)
			}
			var authorities, facts []string
			if err := s.w.SelectContext(ctx, &authorities, `SELECT course_id || ' ' || authority || ' ' || learner FROM progress_authorities`); err != nil {
				t.Fatal(err)
			}
			if err := s.w.SelectContext(ctx, &facts, `SELECT statement_id FROM progress_facts`); err != nil {
				t.Fatal(err)
			}
			slices.Sort(authorities)
			if want := []string{"c lrs|admin bob", "c lrs|ann ann"}; !slices.Equal(authorities, want) {
				t.Errorf("progress_authorities = %q, want %q", authorities, want)
			}
			if want := []string{"s2"}; !slices.Equal(facts, want) {
				t.Errorf("facts after the migration = %q, want only the answer %q", facts, want)
			}
		})
	}
}
