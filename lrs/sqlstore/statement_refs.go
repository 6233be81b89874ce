package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

// insertRefs records the chains of the StatementRef statements this call
// stored (see migration 0009): a statement's chain is its target and the
// target's own chain; and every chain that already reaches the new
// statement now reaches its chain too, so chains stay complete whatever
// order their statements arrive in. Statements of other kinds cost nothing
// here; StatementRef statements (voiding ones included) are few.
func (s *Store) insertRefs(ctx context.Context, tx *sqlx.Tx, stmts []lrs.Statement, seqs []int64) error {
	for i, st := range stmts {
		if seqs[i] == 0 || st.ObjectType != "StatementRef" {
			continue
		}
		steps := []struct {
			what string
			q    string
			args []any
		}{
			{"target", `INSERT INTO statement_refs (seq, target_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				[]any{seqs[i], st.ObjectID}},
			{"target's chain", `INSERT INTO statement_refs (seq, target_id)
				SELECT ?, r.target_id FROM statements t JOIN statement_refs r ON r.seq = t.seq
				WHERE t.id = ? ON CONFLICT DO NOTHING`, []any{seqs[i], st.ObjectID}},
			{"chains through it", `INSERT INTO statement_refs (seq, target_id)
				SELECT r.seq, mine.target_id FROM statement_refs r JOIN statement_refs mine ON mine.seq = ?
				WHERE r.target_id = ? ON CONFLICT DO NOTHING`, []any{seqs[i], st.ID}},
		}
		for _, step := range steps {
			if _, err := tx.ExecContext(ctx, tx.Rebind(step.q), step.args...); err != nil {
				return fmt.Errorf("statement %s: record its %s: %w", st.ID, step.what, err)
			}
		}
	}
	return nil
}

// targetsFiltered reports whether f filters on what a statement is about,
// which a StatementRef statement can match through its chain.
func targetsFiltered(f lrs.StatementFilter) bool {
	return f.Agent != "" || f.Verb != "" || f.Activity != "" || f.Registration != ""
}

// refsQuery selects the StatementRef statements in f's time bounds, after
// after and up to last (when not nil), that are not voided and whose chain
// reaches a statement (voided or not, as the spec says) matching f's
// agent, verb, activity and registration.
func refsQuery(f lrs.StatementFilter, after, last *position) (string, []any) {
	where := []string{`s.object_type = 'StatementRef'`, `NOT s.voided`}
	var args []any
	if f.Authority != "" {
		where = append(where, `s.authority_ifi = ?`)
		args = append(args, f.Authority)
	}
	conds, bargs := bounds(f, after, "s")
	where, args = append(where, conds...), append(args, bargs...)
	if last != nil {
		if f.Ascending {
			where = append(where, `s.stored <= ? AND (s.stored < ? OR s.seq <= ?)`)
		} else {
			where = append(where, `s.stored >= ? AND (s.stored > ? OR s.seq >= ?)`)
		}
		args = append(args, last.stored, last.stored, last.seq)
	}
	target := []string{`r.seq = s.seq`, `t.id = r.target_id`}
	if f.Agent != "" {
		cond := `EXISTS (SELECT 1 FROM statement_agents a WHERE a.ifi = ? AND a.stored = t.stored AND a.seq = t.seq`
		if !f.RelatedAgents {
			cond += ` AND a.direct`
		}
		target = append(target, cond+`)`)
		args = append(args, f.Agent)
	}
	if f.Activity != "" {
		if f.RelatedActivities {
			target = append(target, `EXISTS (SELECT 1 FROM statement_activities a
				WHERE a.activity_id = ? AND a.stored = t.stored AND a.seq = t.seq)`)
		} else {
			target = append(target, `t.object_id = ? AND t.object_type = 'Activity'`)
		}
		args = append(args, f.Activity)
	}
	if f.Verb != "" {
		target = append(target, `t.verb_id = ?`)
		args = append(args, f.Verb)
	}
	if f.Registration != "" {
		target = append(target, `t.registration = ?`)
		args = append(args, f.Registration)
	}
	where = append(where, "EXISTS (SELECT 1 FROM statement_refs r CROSS JOIN statements t\n    WHERE "+
		strings.Join(target, "\n      AND ")+")")
	return pageQuery("statements s", "s", where, args, f)
}

// mergePages merges two pages in (stored, seq) order, each statement once.
func mergePages(a, b []lrs.Statement, ascending bool) []lrs.Statement {
	if len(b) == 0 {
		return a
	}
	seen := make(map[int64]bool, len(a))
	for _, st := range a {
		seen[st.Seq] = true
	}
	for _, st := range b {
		if !seen[st.Seq] {
			a = append(a, st)
		}
	}
	slices.SortFunc(a, func(x, y lrs.Statement) int {
		c := cmp.Or(x.Stored.Compare(y.Stored), cmp.Compare(x.Seq, y.Seq))
		if ascending {
			return c
		}
		return -c
	})
	return a
}
