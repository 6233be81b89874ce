package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

// On PostgreSQL a learner's statements about a course walk the agent index
// in page order and stop, rather than reading every match and sorting:
// the planner's estimate for the related-activity condition is one row
// whatever the data, which made this query take over a second at a
// million statements.
func TestPostgresStatementsPlanIsOrdered(t *testing.T) {
	s := mustOpenPostgres(t)
	ctx := context.Background()
	stmts := benchStatements(6000, 0)
	for i := 0; i < len(stmts); i += 1000 {
		if err := s.InsertStatements(ctx, stmts[i:i+1000], nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	f := lrs.StatementFilter{Agent: genLearner(7), Activity: genCourse, RelatedActivities: true, Limit: 25}
	q, args := statementsQuery(f, nil)
	var plan []string
	err := s.orderedRead(ctx, func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &plan, tx.Rebind("EXPLAIN "+q), args...)
	})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if strings.Contains(text, "Sort") || !strings.Contains(text, "Index Only Scan Backward using statement_agents_pkey") {
		t.Errorf("plan for %s:\n%s\nwant an ordered scan of statement_agents_pkey and no Sort", q, text)
	}
}
