package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
)

var (
	_ progress.Reader      = (*ProgressStore)(nil)
	_ progress.Registry    = (*ProgressStore)(nil)
	_ progress.WorkerStore = (*ProgressStore)(nil)
)

// ProgressStore keeps the course registry and learners' progress in the
// store's database (migration 0010_progress): the progress Worker writes
// it, the reports read it.
//
// Statements in seq order: on SQLite one writer commits them in seq order.
// On PostgreSQL concurrent transactions may commit a higher seq before a
// lower one, so a worker that read up to the highest seq it saw could skip
// a statement committed a moment later. StatementsAfter reads no further
// than a horizon below which every statement is committed or never will
// be; see horizon. It takes no lock: ingest never waits for the worker.
//
// Several nodes may run workers: Apply takes a transaction-level advisory
// lock with pg_try_advisory_xact_lock and checks the cursor, so a batch is
// applied by one node, once.
type ProgressStore struct {
	s *Store

	mu sync.Mutex
	// safe is the last horizon found; pending the oldest mark not known
	// safe yet (pending.seq == 0: none).
	safe    int64
	pending horizonMark

	folded foldedCache
}

// horizonMark is the highest seq a PostgreSQL snapshot saw, and the
// inserting transactions (virtual transaction ids) running then.
type horizonMark struct {
	seq     int64
	running []string
}

// Progress returns the store's course registry and progress.
func (s *Store) Progress() *ProgressStore { return &ProgressStore{s: s} }

// PutCourse adds the course or replaces the one with its id; see
// progress.Registry. A course new to the registry may have statements
// stored already, which were not matched to it: all progress is then
// dropped and the Worker folds every statement again (as Rebuild does).
func (p *ProgressStore) PutCourse(ctx context.Context, c progress.Course) error {
	structure, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("put course %s: %w", c.ID, err)
	}
	err = p.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM progress_courses WHERE id = ?`), c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO progress_courses (id, structure, updated) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET structure = excluded.structure, updated = excluded.updated`),
			c.ID, string(structure), timestamp{time.Now()}); err != nil {
			return err
		}
		if n == 0 {
			return p.reset(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put course %s: %w", c.ID, err)
	}
	return nil
}

// RegisteredCourses returns the courses of the registry, by id.
func (p *ProgressStore) RegisteredCourses(ctx context.Context) ([]progress.Course, error) {
	var rows []string
	if err := p.s.r.SelectContext(ctx, &rows, `SELECT structure FROM progress_courses ORDER BY id`); err != nil {
		return nil, fmt.Errorf("registered courses: %w", err)
	}
	courses := make([]progress.Course, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r), &courses[i]); err != nil {
			return nil, fmt.Errorf("registered courses: %w", err)
		}
	}
	return courses, nil
}

// course returns a registered course or progress.ErrUnknownCourse.
func (p *ProgressStore) course(ctx context.Context, id string) (progress.Course, error) {
	var structure string
	err := p.s.r.GetContext(ctx, &structure, p.s.r.Rebind(`SELECT structure FROM progress_courses WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return progress.Course{}, fmt.Errorf("course %s: %w", id, progress.ErrUnknownCourse)
	}
	if err != nil {
		return progress.Course{}, fmt.Errorf("course %s: %w", id, err)
	}
	var c progress.Course
	if err := json.Unmarshal([]byte(structure), &c); err != nil {
		return progress.Course{}, fmt.Errorf("course %s: %w", id, err)
	}
	return c, nil
}

// Cursor returns the seq of the last statement folded.
func (p *ProgressStore) Cursor(ctx context.Context) (int64, error) {
	var seq int64
	if err := p.s.w.GetContext(ctx, &seq, `SELECT seq FROM progress_cursor WHERE id = 1`); err != nil {
		return 0, fmt.Errorf("progress cursor: %w", err)
	}
	return seq, nil
}

// StatementsAfter returns statements after seq in seq order, voided and
// voiding ones included; see ProgressStore for how far it reads. It reads
// their seqs from the database, and the statements themselves only when
// this process did not just commit them (see recent.go). On SQLite it reads
// through the reader pool, which sees every committed statement, and leaves
// the one writer connection to ingest.
func (p *ProgressStore) StatementsAfter(ctx context.Context, after int64, limit int) ([]lrs.Statement, error) {
	p.s.recent.start()
	q := `SELECT seq FROM statements WHERE seq > ? ORDER BY seq LIMIT ?`
	args := []any{after, limit}
	if p.s.d.name == "postgres" {
		horizon, err := p.horizon(ctx)
		if err != nil {
			return nil, err
		}
		if horizon <= after {
			return nil, nil
		}
		q = `SELECT seq FROM statements WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`
		args = []any{after, horizon, limit}
	}
	var seqs []int64
	if err := p.s.r.SelectContext(ctx, &seqs, p.s.r.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("statements after %d: %w", after, err)
	}
	stmts, missing := p.s.recent.take(after, seqs)
	err := chunks(len(missing), p.s.d.maxParams, func(lo, hi int) error {
		args := make([]any, hi-lo)
		for i, seq := range missing[lo:hi] {
			args[i] = seq
		}
		q := `SELECT ` + statementColumns + ` FROM statements s WHERE s.seq IN (` + placeholders(hi-lo) + `)`
		read, err := p.s.scanStatements(p.s.r.QueryContext(ctx, p.s.r.Rebind(q), args...))
		stmts = append(stmts, read...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("statements after %d: %w", after, err)
	}
	slices.SortFunc(stmts, func(a, b lrs.Statement) int { return cmp.Compare(a.Seq, b.Seq) })
	return stmts, nil
}

// LastSeq returns the highest seq StatementsAfter may return now.
func (p *ProgressStore) LastSeq(ctx context.Context) (int64, error) {
	if p.s.d.name == "postgres" {
		return p.horizon(ctx)
	}
	var seq int64
	if err := p.s.r.GetContext(ctx, &seq, `SELECT COALESCE(MAX(seq), 0) FROM statements`); err != nil {
		return 0, fmt.Errorf("last statement: %w", err)
	}
	return seq, nil
}

// horizon is, on PostgreSQL, a seq below which every statement is
// committed or rolled back. Every transaction that inserts statements holds
// the voiding lock (lockVoiding) before it takes a seq, so a statement with
// a seq below the highest one a snapshot saw, and not visible to it,
// belongs to a transaction that held the lock when the snapshot was taken,
// and still holds it or has ended when pg_locks is read next. Once those
// transactions have all ended, that highest seq is safe: at once when none
// was running, otherwise at a later call. The lock is per schema, so
// transactions of other schemas and databases do not hold the worker back.
func (p *ProgressStore) horizon(ctx context.Context) (int64, error) {
	var (
		seq     int64
		running pq.StringArray
	)
	// The subqueries run after the statement's snapshot is taken.
	err := p.s.w.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(seq), 0) FROM statements),
		ARRAY(SELECT virtualtransaction FROM pg_locks WHERE locktype = 'advisory' AND granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND classid = $1 AND objid::bigint = hashtext(current_schema())::bigint & 4294967295 AND objsubid = 2)`,
		voidingLockClass).Scan(&seq, &running)
	if err != nil {
		return 0, fmt.Errorf("statements committed: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending.seq != 0 && !slices.ContainsFunc(p.pending.running, func(v string) bool { return slices.Contains(running, v) }) {
		p.safe, p.pending = max(p.safe, p.pending.seq), horizonMark{}
	}
	switch {
	case len(running) == 0:
		p.safe, p.pending = max(p.safe, seq), horizonMark{}
	case p.pending.seq == 0 && seq > p.safe:
		p.pending = horizonMark{seq: seq, running: running}
	}
	return p.safe, nil
}

// Apply runs fn and moves the cursor in one transaction; see
// progress.WorkerStore.
func (p *ProgressStore) Apply(ctx context.Context, from, to int64, fn func(progress.FactTx) error) error {
	var version int64
	written := map[progress.Key]*progress.Folded{}
	err := p.s.inTx(ctx, func(tx *sqlx.Tx) error {
		if p.s.d.name == "postgres" {
			var locked bool
			if err := tx.GetContext(ctx, &locked, `SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema()))`, progressLockClass); err != nil {
				return fmt.Errorf("lock progress: %w", err)
			}
			if !locked {
				return progress.ErrBusy
			}
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT seq, version FROM progress_cursor WHERE id = 1`).Scan(&seq, &version); err != nil {
			return fmt.Errorf("progress cursor: %w", err)
		}
		if seq != from {
			return progress.ErrCursorMoved
		}
		if err := fn(factTx{s: p.s, tx: tx, version: version, cache: &p.folded, written: written}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE progress_cursor SET seq = ?, version = version + 1 WHERE id = 1`), to); err != nil {
			return fmt.Errorf("move progress cursor: %w", err)
		}
		return nil
	})
	switch {
	case errors.Is(err, progress.ErrBusy), errors.Is(err, progress.ErrCursorMoved):
		// Another node wrote: the version tells the next batch.
	case err != nil:
		// Whether the commit happened is unknown.
		p.folded.drop()
	default:
		p.folded.wrote(version, version+1, written)
	}
	return err
}

// Reset deletes every fact and all progress and sets the cursor to 0.
func (p *ProgressStore) Reset(ctx context.Context) error {
	defer p.folded.drop()
	if err := p.s.inTx(ctx, func(tx *sqlx.Tx) error { return p.reset(ctx, tx) }); err != nil {
		return fmt.Errorf("reset progress: %w", err)
	}
	return nil
}

func (p *ProgressStore) reset(ctx context.Context, tx *sqlx.Tx) error {
	if p.s.d.name == "postgres" {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`, progressLockClass); err != nil {
			return fmt.Errorf("lock progress: %w", err)
		}
	}
	for _, q := range []string{
		`DELETE FROM progress_facts`, `DELETE FROM progress_learners`, `DELETE FROM progress_registrations`,
		`DELETE FROM progress_lessons`, `DELETE FROM progress_groups`, `DELETE FROM progress_authorities`, `DELETE FROM progress_question_responses`,
		`DELETE FROM progress_question_learners`, `UPDATE progress_cursor SET seq = 0, version = version + 1`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
