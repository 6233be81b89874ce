package sqlstore

import (
	"context"
	"fmt"

	"github.com/coursekit/coursekit/lrs"
)

// A learner folded again (after voiding, or after statements that arrive
// out of time order) is folded from their statements, found through the
// agent index, since only answers are kept as fact rows.

// LearnerStatements returns the statements up to upTo whose actor is one of
// learners, voided and voiding ones left out; see progress.FactTx.
func (t factTx) LearnerStatements(ctx context.Context, learners []string, upTo int64) ([]lrs.Statement, error) {
	var out []lrs.Statement
	err := chunks(len(learners), t.s.d.maxParams/2-1, func(lo, hi int) error {
		args := make([]any, 0, 2*(hi-lo)+2)
		for _, l := range learners[lo:hi] {
			args = append(args, l)
		}
		args = append(args, args...)
		args = append(args, upTo, false)
		in := placeholders(hi - lo)
		q := `SELECT ` + statementColumns + ` FROM statements s
			WHERE s.seq IN (SELECT seq FROM statement_agents WHERE ifi IN (` + in + `))
			AND s.actor_ifi IN (` + in + `) AND s.seq <= ? AND s.voided = ? AND s.voids_id IS NULL`
		read, err := t.s.scanStatements(t.tx.QueryContext(ctx, t.tx.Rebind(q), args...))
		out = append(out, read...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("learners' statements: %w", err)
	}
	return out, nil
}

// StatementsByID returns those of the statements that are stored; see
// progress.FactTx.
func (t factTx) StatementsByID(ctx context.Context, ids []string) ([]lrs.Statement, error) {
	var out []lrs.Statement
	err := chunks(len(ids), t.s.d.maxParams, func(lo, hi int) error {
		args := make([]any, hi-lo)
		for i, id := range ids[lo:hi] {
			args[i] = id
		}
		q := `SELECT ` + statementColumns + ` FROM statements s WHERE s.id IN (` + placeholders(hi-lo) + `)`
		read, err := t.s.scanStatements(t.tx.QueryContext(ctx, t.tx.Rebind(q), args...))
		out = append(out, read...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("statements by id: %w", err)
	}
	return out, nil
}
