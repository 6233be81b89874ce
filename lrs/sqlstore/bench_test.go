package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"slices"

	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

// benchFill is how many statements BenchmarkStatements queries; see
// docs/performance.md for the 1,000,000-statement run.
var benchFill = flag.Int("fill", 20000, "statements stored before BenchmarkStatements queries them")

const (
	benchWriters = 8
	benchBatch   = 100
)

var benchDatabases = []struct {
	name string
	dsn  func(testing.TB) string
}{
	{"sqlite", sqliteTestDSN},
	{"postgres", postgresTestDSN},
}

// runWriters inserts n generated statements in batches of benchBatch from
// benchWriters goroutines with insert, timing only the inserts, and
// reports statements per second.
func runWriters(b *testing.B, n int, insert func(ctx context.Context, batch []lrs.Statement) error) {
	ctx := context.Background()
	batches := make([][]lrs.Statement, 0, n/benchBatch+1)
	for first := 0; first < n; first += benchBatch {
		batches = append(batches, benchStatements(min(benchBatch, n-first), first))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, benchWriters)
	b.ResetTimer()
	start := time.Now()
	for range benchWriters {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(batches) {
					return
				}
				if err := insert(ctx, batches[i]); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "stmts/s")
}

// BenchmarkInsertStatements measures InsertStatements: batches of 100
// statements from 8 goroutines into a new database. b.N is the number of
// statements.
func BenchmarkInsertStatements(b *testing.B) {
	for _, db := range benchDatabases {
		b.Run(db.name, func(b *testing.B) {
			s := mustOpen(b, db.dsn(b))
			runWriters(b, max(b.N, benchBatch), func(ctx context.Context, batch []lrs.Statement) error {
				return s.InsertStatements(ctx, batch, bytes.Equal)
			})
		})
	}
}

// BenchmarkStatements measures queries against a store holding -fill
// statements: 1,000 learners, 200 activities in 20 modules, 6 verbs.
func BenchmarkStatements(b *testing.B) {
	for _, db := range benchDatabases {
		b.Run(db.name, func(b *testing.B) {
			s := mustOpen(b, db.dsn(b))
			fill(b, s, *benchFill)
			mid := genStart.Add(time.Duration(*benchFill/2) * time.Millisecond)
			// recent leaves the newest 1% of the statements after it.
			recent := genStart.Add(time.Duration(*benchFill-*benchFill/100) * time.Millisecond)
			queries := []struct {
				name   string
				filter func(i int) lrs.StatementFilter
			}{
				{"agent", func(i int) lrs.StatementFilter { return lrs.StatementFilter{Agent: genLearner(i)} }},
				{"verb", func(i int) lrs.StatementFilter { return lrs.StatementFilter{Verb: genVerb(i)} }},
				{"activity+since", func(i int) lrs.StatementFilter {
					return lrs.StatementFilter{Activity: genActivity(i), Since: mid}
				}},
				{"since recent, ascending", func(i int) lrs.StatementFilter {
					return lrs.StatementFilter{Since: recent, Ascending: true}
				}},
				{"activity+since recent", func(i int) lrs.StatementFilter {
					return lrs.StatementFilter{Activity: genActivity(i), Since: recent}
				}},
				{"until mid", func(i int) lrs.StatementFilter { return lrs.StatementFilter{Until: mid} }},
				{"agent+related_activities", func(i int) lrs.StatementFilter {
					return lrs.StatementFilter{Agent: genLearner(i), Activity: genModule(i), RelatedActivities: true}
				}},
				{"related_agents", func(i int) lrs.StatementFilter {
					return lrs.StatementFilter{Agent: genLearner(i), RelatedAgents: true}
				}},
				{"verb, deep page", func(i int) lrs.StatementFilter {
					return lrs.StatementFilter{Verb: genVerb(i), After: &lrs.Cursor{Seq: int64(*benchFill / 10)}}
				}},
			}
			for _, q := range queries {
				b.Run(q.name, func(b *testing.B) {
					ctx := context.Background()
					rows := 0
					var took []time.Duration
					for i := 0; b.Loop(); i++ {
						f := q.filter(i * 7)
						f.Limit = 100
						start := time.Now()
						page, _, err := s.Statements(ctx, f)
						if err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
						rows += len(page)
					}
					slices.Sort(took)
					b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
					b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
				})
			}
		})
	}
}

// fill stores n generated statements in batches of 1,000 from 4
// goroutines.
func fill(b *testing.B, s *Store, n int) {
	b.Helper()
	start := time.Now()
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for {
				first := int(next.Add(1000)) - 1000
				if first >= n {
					return
				}
				if err := s.InsertStatements(ctx, benchStatements(min(1000, n-first), first), nil); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	if s.d.name == "postgres" {
		if _, err := s.w.Exec(`VACUUM ANALYZE`); err != nil {
			b.Fatal(err)
		}
	} else if _, err := s.w.Exec(`PRAGMA optimize=0x10002`); err != nil {
		b.Fatal(err)
	}
	b.Logf("filled %d statements in %v", n, time.Since(start).Round(time.Millisecond))
}

// BenchmarkCeiling measures what the database itself absorbs: the rows
// InsertStatements writes for the same statements (statement, index-table
// rows), inserted with plain SQL in transactions of 100 statements from 8
// writers. SQLite takes multi-row INSERTs (through one connection, as only
// one writer can be active), PostgreSQL COPY. Seqs come from a counter
// instead of the database. b.N is the number of statements.
func BenchmarkCeiling(b *testing.B) {
	for _, db := range benchDatabases {
		b.Run(db.name, func(b *testing.B) {
			s := mustOpen(b, db.dsn(b))
			var seq atomic.Int64
			runWriters(b, max(b.N, benchBatch), func(ctx context.Context, batch []lrs.Statement) error {
				tx, err := s.w.BeginTxx(ctx, nil)
				if err != nil {
					return err
				}
				defer tx.Rollback()
				stmts, agents, activities := ceilingRows(batch, seq.Add(int64(len(batch)))-int64(len(batch)))
				if s.d.name == "postgres" {
					err = copyRows(ctx, tx.Tx, stmts, agents, activities)
				} else {
					err = insertCeilingRows(ctx, s, tx, stmts, agents, activities)
				}
				if err != nil {
					return err
				}
				return tx.Commit()
			})
		})
	}
}

const ceilingColumns = `seq, id, stored, statement, actor_ifi, verb_id, object_type, object_id, registration`

// ceilingRows returns the rows of the statements table and of the two index
// tables for batch, numbered after seq.
func ceilingRows(batch []lrs.Statement, seq int64) (stmts, agents, activities [][]any) {
	for _, st := range batch {
		seq++
		stmts = append(stmts, []any{seq, st.ID, timestamp{st.Stored}, string(st.JSON), st.ActorIFI,
			st.VerbID, st.ObjectType, st.ObjectID, st.Registration})
		for _, a := range distinct(append(slices.Clone(st.RelatedAgents), st.DirectAgents...)) {
			agents = append(agents, []any{a, timestamp{st.Stored}, seq, slices.Contains(st.DirectAgents, a)})
		}
		for _, a := range distinct(slices.Clone(st.RelatedActivities)) {
			activities = append(activities, []any{a, timestamp{st.Stored}, seq})
		}
	}
	return stmts, agents, activities
}

func insertCeilingRows(ctx context.Context, s *Store, tx *sqlx.Tx, stmts, agents, activities [][]any) error {
	for _, t := range []struct {
		table string
		rows  [][]any
	}{
		{`statements (` + ceilingColumns + `)`, stmts},
		{`statement_agents (ifi, stored, seq, direct)`, agents},
		{`statement_activities (activity_id, stored, seq)`, activities},
	} {
		var args []any
		for _, r := range t.rows {
			args = append(args, r...)
		}
		if err := s.insertRows(ctx, tx, t.table, len(t.rows[0]), args); err != nil {
			return err
		}
	}
	return nil
}

func copyRows(ctx context.Context, tx *sql.Tx, stmts, agents, activities [][]any) error {
	for _, t := range []struct {
		copy string
		rows [][]any
	}{
		{`COPY statements (` + ceilingColumns + `) FROM STDIN`, stmts},
		{`COPY statement_agents (ifi, stored, seq, direct) FROM STDIN`, agents},
		{`COPY statement_activities (activity_id, stored, seq) FROM STDIN`, activities},
	} {
		st, err := tx.PrepareContext(ctx, t.copy)
		if err != nil {
			return err
		}
		for _, r := range t.rows {
			if _, err := st.ExecContext(ctx, r...); err != nil {
				return err
			}
		}
		if _, err := st.ExecContext(ctx); err != nil {
			return err
		}
		if err := st.Close(); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkInsertOne measures single-statement InsertStatements calls from
// 16 goroutines, as single-statement POSTs from 16 clients. b.N is the
// number of statements.
func BenchmarkInsertOne(b *testing.B) {
	const clients = 16
	for _, db := range benchDatabases {
		b.Run(db.name, func(b *testing.B) {
			s := mustOpen(b, db.dsn(b))
			stmts := benchStatements(b.N, 0)
			var next atomic.Int64
			took := make([]time.Duration, b.N)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range clients {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= len(stmts) {
							return
						}
						t0 := time.Now()
						if err := s.InsertStatements(context.Background(), stmts[i:i+1], bytes.Equal); err != nil {
							b.Error(err)
							return
						}
						took[i] = time.Since(t0)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "stmts/s")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
