package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

// statementColumns are the columns of statements s scanStatement expects.
const statementColumns = `s.seq, s.id, s.statement, s.stored, s.voided,
	COALESCE(s.actor_ifi, ''), s.verb_id, s.object_type, s.object_id,
	COALESCE(s.registration, ''), COALESCE(s.voids_id, ''), COALESCE(s.authority_ifi, '')`

func scanStatement(row interface{ Scan(...any) error }) (lrs.Statement, error) {
	var (
		st     lrs.Statement
		stored timestamp
	)
	err := row.Scan(&st.Seq, &st.ID, &st.JSON, &stored, &st.Voided,
		&st.ActorIFI, &st.VerbID, &st.ObjectType, &st.ObjectID, &st.Registration, &st.VoidsID, &st.AuthorityIFI)
	st.Stored = stored.Time
	return st, err
}

// Statement returns the statement with the id; see lrs.Store.
func (s *Store) Statement(ctx context.Context, id string, voided bool) (lrs.Statement, error) {
	row := s.r.QueryRowContext(ctx, s.r.Rebind(`SELECT `+statementColumns+` FROM statements s WHERE s.id = ?`), id)
	st, err := scanStatement(row)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && st.Voided != voided:
		return lrs.Statement{}, fmt.Errorf("statement %s: %w", id, lrs.ErrNotFound)
	case err != nil:
		return lrs.Statement{}, fmt.Errorf("statement %s: %w", id, err)
	}
	return st, nil
}

// Statements returns a page of statements; see lrs.Store. Filters combine
// with AND. Statements come in (stored, seq) order, the order of every
// index a query walks, so that a page is one index range that stops after
// Limit+1 rows (the extra row tells whether another page follows); the
// cursor's seq is looked up for its stored time. A Limit of zero or less
// returns every match.
//
// xAPI's StatementRef rule applies: a statement whose object is a
// StatementRef also matches when the statement its chain reaches matches
// the filter's agent, verb, activity and registration (refs.go); the time
// bounds, the cursor and Authority apply to the statement itself. Those
// statements come from a second query, merged into the page.
func (s *Store) Statements(ctx context.Context, f lrs.StatementFilter) ([]lrs.Statement, *lrs.Cursor, error) {
	var after *position
	if f.After != nil {
		var stored timestamp
		err := s.r.GetContext(ctx, &stored, s.r.Rebind(`SELECT stored FROM statements WHERE seq = ?`), f.After.Seq)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil, nil, fmt.Errorf("statements after %d: %w", f.After.Seq, lrs.ErrNotFound)
		case err != nil:
			return nil, nil, fmt.Errorf("statements after %d: %w", f.After.Seq, err)
		}
		after = &position{stored: stored, seq: f.After.Seq}
	}
	q, args := statementsQuery(f, after)
	page, err := s.queryStatements(ctx, q, args)
	if err != nil {
		return nil, nil, err
	}
	if targetsFiltered(f) {
		// A full page bounds where the statements found through their
		// chain can still land in it.
		var last *position
		if f.Limit > 0 && len(page) > f.Limit {
			last = &position{stored: timestamp{page[len(page)-1].Stored}, seq: page[len(page)-1].Seq}
		}
		q, args = refsQuery(f, after, last)
		refs, err := s.queryStatements(ctx, q, args)
		if err != nil {
			return nil, nil, err
		}
		page = mergePages(page, refs, f.Ascending)
	}
	if f.Limit > 0 && len(page) > f.Limit {
		page = page[:f.Limit]
		return page, &lrs.Cursor{Seq: page[len(page)-1].Seq}, nil
	}
	return page, nil, nil
}

// queryStatements runs a query of statementColumns.
//
// Every statements query is built to walk one index in (stored, seq) order
// and stop after a page. PostgreSQL's planner cannot see that: it estimates
// a correlated condition such as "and a related activity" at one row, then
// prefers reading every match and sorting them, which at a million
// statements took a learner's query from 25 ms to over a second. With
// sorting priced out for this query alone it takes the ordered scan.
func (s *Store) queryStatements(ctx context.Context, q string, args []any) ([]lrs.Statement, error) {
	if s.d.name != "postgres" {
		return s.scanStatements(s.r.QueryContext(ctx, s.r.Rebind(q), args...))
	}
	var page []lrs.Statement
	err := s.orderedRead(ctx, func(tx *sqlx.Tx) error {
		var err error
		page, err = s.scanStatements(tx.QueryContext(ctx, tx.Rebind(q), args...))
		return err
	})
	return page, err
}

// orderedRead runs fn in a read-only PostgreSQL transaction that prices
// sorting out.
func (s *Store) orderedRead(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.r.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("query statements: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_sort = off`); err != nil {
		return fmt.Errorf("query statements: %w", err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// scanStatements reads the rows of a query of statementColumns.
func (s *Store) scanStatements(rows *sql.Rows, err error) ([]lrs.Statement, error) {
	if err != nil {
		return nil, fmt.Errorf("query statements: %w", err)
	}
	defer rows.Close()
	var page []lrs.Statement
	for rows.Next() {
		st, err := scanStatement(rows)
		if err != nil {
			return nil, fmt.Errorf("query statements: %w", err)
		}
		page = append(page, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query statements: %w", err)
	}
	return page, nil
}

// position is a place in the (stored, seq) order.
type position struct {
	stored timestamp
	seq    int64
}

// statementsQuery builds the query for f, continuing after after when it is
// not nil. The table d that drives it, in (stored, seq) order, is the
// agents index table when f names an agent, else the activities index table
// when f names a related activity, else statements itself (whose indexes
// are (column, stored, seq)). CROSS JOIN makes SQLite keep d as the outer
// loop; to PostgreSQL it is a plain join.
func statementsQuery(f lrs.StatementFilter, after *position) (string, []any) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	from, d := "statements s", "s"
	switch {
	case f.Agent != "":
		from, d = "statement_agents d CROSS JOIN statements s", "d"
		add(`s.seq = d.seq`)
		if f.RelatedAgents {
			add(`d.ifi = ?`, f.Agent)
		} else {
			add(`d.ifi = ? AND d.direct`, f.Agent)
		}
	case f.Activity != "" && f.RelatedActivities:
		from, d = "statement_activities d CROSS JOIN statements s", "d"
		add(`s.seq = d.seq`)
		add(`d.activity_id = ?`, f.Activity)
	}
	add(`NOT s.voided`)
	if f.Activity != "" {
		switch {
		case !f.RelatedActivities:
			add(`s.object_id = ? AND s.object_type = 'Activity'`, f.Activity)
		case f.Agent != "":
			// A primary key probe with d's columns, made before the
			// statement row is read.
			add(`EXISTS (SELECT 1 FROM statement_activities a
				WHERE a.activity_id = ? AND a.stored = d.stored AND a.seq = d.seq)`, f.Activity)
		}
	}
	if f.Verb != "" {
		add(`s.verb_id = ?`, f.Verb)
	}
	if f.Registration != "" {
		add(`s.registration = ?`, f.Registration)
	}
	if f.Authority != "" {
		add(`s.authority_ifi = ?`, f.Authority)
	}
	conds, bargs := bounds(f, after, d)
	where, args = append(where, conds...), append(args, bargs...)
	return pageQuery(from, d, where, args, f)
}

// pageQuery is the SELECT of statementColumns from from, in the filter's
// order of d's (stored, seq), one row past the page.
func pageQuery(from, d string, where []string, args []any, f lrs.StatementFilter) (string, []any) {
	order := "DESC"
	if f.Ascending {
		order = "ASC"
	}
	q := "SELECT " + statementColumns + "\nFROM " + from + "\nWHERE " + strings.Join(where, "\n  AND ") +
		"\nORDER BY " + d + ".stored " + order + ", " + d + ".seq " + order
	if f.Limit > 0 {
		q += "\nLIMIT ?"
		args = append(args, f.Limit+1)
	}
	return q, args
}

// bounds are the conditions on d's (stored, seq) of f's time bounds and of
// the page after after.
func bounds(f lrs.StatementFilter, after *position, d string) (where []string, args []any) {
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	// Stored times keep microseconds and timestamp drops a bound's
	// nanoseconds; with Since exclusive and Until inclusive that keeps the
	// same matches.
	if !f.Since.IsZero() {
		add(d+`.stored > ?`, timestamp{f.Since})
	}
	if !f.Until.IsZero() {
		add(d+`.stored <= ?`, timestamp{f.Until})
	}
	if after != nil {
		// The first condition is the index range; the second drops the
		// statements stored at the cursor's time up to and including it.
		if f.Ascending {
			add(d+`.stored >= ? AND (`+d+`.stored > ? OR `+d+`.seq > ?)`, after.stored, after.stored, after.seq)
		} else {
			add(d+`.stored <= ? AND (`+d+`.stored < ? OR `+d+`.seq < ?)`, after.stored, after.stored, after.seq)
		}
	}
	return where, args
}
