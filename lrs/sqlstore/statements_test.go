package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// TestQueryPlansSQLite checks that every filter is answered by walking an
// index in (stored, seq) order: no full scan of statements and no sort,
// whatever the page depth. (PostgreSQL plans by statistics; its figures are
// in the benchmarks.)
func TestQueryPlansSQLite(t *testing.T) {
	s := mustOpenSQLite(t)
	ctx := context.Background()
	if err := s.InsertStatements(ctx, benchStatements(500, 0), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	since := genStart.Add(100 * time.Millisecond)
	filters := []lrs.StatementFilter{
		{},
		{Agent: genLearner(1)},
		{Agent: genLearner(1), RelatedAgents: true},
		{Verb: genVerb(1)},
		{Activity: genActivity(1)},
		{Activity: genModule(1), RelatedActivities: true},
		{Registration: "00000000-0000-4000-9000-000000000001"},
		{Since: since},
		{Until: since},
		{Since: since, Until: since.Add(time.Second)},
		{Verb: genVerb(1), Since: since},
		{Activity: genActivity(1), Since: since},
		{Agent: genLearner(1), Activity: genModule(1), RelatedActivities: true},
		{Agent: genLearner(1), Verb: genVerb(1), Since: since},
		{Verb: genVerb(1), Registration: "00000000-0000-4000-9000-000000000001"},
	}
	for _, f := range filters {
		for _, asc := range []bool{false, true} {
			f.Ascending, f.Limit = asc, 10
			q, args := statementsQuery(f, &position{stored: timestamp{since}, seq: 300})
			rows, err := s.r.Queryx(`EXPLAIN QUERY PLAN `+q, args...)
			if err != nil {
				t.Fatalf("explain %s: %v", q, err)
			}
			var plan []string
			for rows.Next() {
				m := map[string]any{}
				if err := rows.MapScan(m); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, m["detail"].(string))
			}
			rows.Close()
			for _, step := range plan {
				if strings.Contains(step, "TEMP B-TREE") || step == "SCAN s" || step == "SCAN d" {
					t.Errorf("plan for %+v:\n%s\nwant index searches and no sort", f, strings.Join(plan, "\n"))
					break
				}
			}
		}
	}
}
